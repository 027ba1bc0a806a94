// The schedule of a payment plan: pure, no database. See payment_plans.h.
#include <chrono>

#include <fmt/format.h>

#include "agreements/payment_plans.h"

namespace cartera {

__extension__ typedef __int128 Int128;  // an amount times a rate, exactly

std::string_view PlanFrequencyCode(PlanFrequency frequency) {
  switch (frequency) {
    case PlanFrequency::kWeekly:
      return "weekly";
    case PlanFrequency::kFortnightly:
      return "fortnightly";
    case PlanFrequency::kMonthly:
      return "monthly";
  }
  return "monthly";
}

std::optional<PlanFrequency> ParsePlanFrequency(std::string_view code) {
  if (code == "weekly") return PlanFrequency::kWeekly;
  if (code == "fortnightly") return PlanFrequency::kFortnightly;
  if (code == "monthly") return PlanFrequency::kMonthly;
  return std::nullopt;
}

Date PlanInstallmentDate(Date first_date, PlanFrequency frequency, int32_t index) {
  switch (frequency) {
    case PlanFrequency::kWeekly:
      return first_date.PlusDays(7 * index);
    case PlanFrequency::kFortnightly:
      return first_date.PlusDays(14 * index);
    case PlanFrequency::kMonthly:
      break;
  }
  // Always from the first date, never from the previous installment: 31 Jan,
  // 28/29 Feb, 31 Mar (a date clamped once does not drift the ones after).
  using namespace std::chrono;
  const year_month_day first = first_date.ymd();
  const year_month target = year_month(first.year(), first.month()) + months(index);
  const day last = year_month_day_last(target.year(), month_day_last(target.month())).day();
  const day wanted = first.day() > last ? last : first.day();
  return Date::FromSysDays(sys_days(year_month_day(target.year(), target.month(), wanted)));
}

namespace {

// The year fraction of one period of the frequency, for the periodic rate.
compliance::YearFraction PeriodOf(PlanFrequency frequency) {
  switch (frequency) {
    case PlanFrequency::kWeekly:
      return compliance::YearFraction::Days(7, 365);
    case PlanFrequency::kFortnightly:
      return compliance::YearFraction::Days(14, 365);
    case PlanFrequency::kMonthly:
      break;
  }
  return compliance::YearFraction::Months(1);
}

// balance x rate (micro-percent: 1% = 1'000'000, so the fraction is
// micro / 10^8), rounded half up to the minor unit, exactly.
Result<int64_t> InterestOn(int64_t balance_minor, compliance::Rate periodic) {
  const Int128 product = static_cast<Int128>(balance_minor) * periodic.micro_percent();
  const Int128 interest = (product + 50'000'000) / 100'000'000;
  if (interest > kDocumentAmountMinorMax) return Fail(Error{ErrorCode::kOverflow, "interest: too large"});
  return static_cast<int64_t>(interest);
}

}  // namespace

Result<std::vector<Installment>> PlanSchedule(const PlanProposal& proposal, Money financed, Language language) {
  if (proposal.installments < 1 || proposal.installments > kPlanMaxInstallments) {
    return Fail(Error::BadInput(TrFormat(language, "installments: debe estar entre 1 y {} (es {})",
                                         "installments: must be between 1 and {} (it is {})", kPlanMaxInstallments,
                                         proposal.installments)));
  }
  if (proposal.missed_to_break < 1 || proposal.missed_to_break > proposal.installments) {
    return Fail(Error::BadInput(TrFormat(
        language, "missed_to_break: debe estar entre 1 y el número de cuotas ({}) (es {})",
        "missed_to_break: must be between 1 and the number of installments ({}) (it is {})", proposal.installments,
        proposal.missed_to_break)));
  }
  if (proposal.down_payment_minor < 0) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "down_payment: no puede ser negativo", "down_payment: must not be negative"))));
  }
  if (financed.minor_units() <= 0) {
    return Fail(Error::BadInput(std::string(
        Tr(language,
           "down_payment: debe ser menor que el saldo del acuerdo (no queda nada que pagar en cuotas)",
           "down_payment: must be less than the plan's balance (nothing would be left to pay in installments)"))));
  }
  if (!IsWithinDocumentAmountLimit(financed.minor_units())) {
    return Fail(Error{ErrorCode::kOverflow, std::string(Tr(language, "el saldo financiado es demasiado grande",
                                                           "the financed amount is too large"))});
  }
  std::optional<compliance::Rate> rate = proposal.annual_interest;
  if (rate && rate->micro_percent() == 0) rate.reset();
  if (rate) {
    if (!proposal.interest_cap) {
      return Fail(Error::BadInput(std::string(
          Tr(language,
             "annual_interest_rate: no se conoce la tasa máxima legal (usura) de este deudor para la fecha; indíquela "
             "(interest_cap, --rate-cap) o registre la tasa del mes",
             "annual_interest_rate: the legal cap (usury rate) for this debtor on this date is unknown; give it "
             "(interest_cap, --rate-cap) or add the month's rate"))));
    }
    if (*rate > *proposal.interest_cap) {
      return Fail(Error::BadInput(TrFormat(
          language, "annual_interest_rate: {}% E.A. supera la tasa máxima legal de {}% E.A.",
          "annual_interest_rate: {}% EA is above the legal cap of {}% EA", rate->ToPercentString(4),
          proposal.interest_cap->ToPercentString(4))));
    }
  }

  const int32_t n = proposal.installments;
  const std::vector<Money> principal = financed.SplitByWeights(std::vector<int64_t>(static_cast<size_t>(n), 1));
  std::vector<Installment> schedule;
  schedule.reserve(static_cast<size_t>(n));
  const compliance::Rate periodic = rate ? compliance::PeriodicRateFromEffectiveAnnual(
                                               *rate, PeriodOf(proposal.frequency), compliance::Rate::kMaxDecimals)
                                         : compliance::Rate();
  int64_t outstanding = financed.minor_units();
  int64_t principal_sum = 0;
  int64_t interest_sum = 0;
  int64_t amount_sum = 0;
  for (int32_t k = 0; k < n; ++k) {
    Installment installment;
    installment.number = k + 1;
    installment.due_date = PlanInstallmentDate(proposal.first_date, proposal.frequency, k);
    const int64_t part = principal[static_cast<size_t>(k)].minor_units();
    if (rate) {
      // Simple interest on the declining balance: each period's interest on
      // what was still owed at its start.
      auto interest = InterestOn(outstanding, periodic);
      if (!interest) return Fail(interest.error());
      installment.interest_minor = *interest;
    }
    auto amount = CheckedAdd(part, installment.interest_minor);
    if (!amount) return Fail(amount.error());
    installment.amount_minor = *amount;
    outstanding -= part;
    auto p = CheckedAdd(principal_sum, part);
    auto i = CheckedAdd(interest_sum, installment.interest_minor);
    auto a = CheckedAdd(amount_sum, installment.amount_minor);
    if (!p || !i || !a) return Fail(Error{ErrorCode::kOverflow, "schedule: sum overflows"});
    principal_sum = *p;
    interest_sum = *i;
    amount_sum = *a;
    schedule.push_back(std::move(installment));
  }
  // Never lose or invent a cent.
  if (principal_sum != financed.minor_units() || outstanding != 0 || amount_sum != principal_sum + interest_sum) {
    return Fail(Error::Internal(fmt::format("schedule sums {} + {} do not match the financed {}", principal_sum,
                                            interest_sum, financed.minor_units())));
  }
  return schedule;
}

}  // namespace cartera
