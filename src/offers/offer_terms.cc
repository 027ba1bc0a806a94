#include "offers/offer_terms.h"

#include <algorithm>
#include <cassert>
#include <numeric>

#include <fmt/format.h>

namespace cartera::offers {
namespace {
// 128 bits: balance x basis points (or x another balance) never overflows.
__extension__ typedef __int128 Wide;
}  // namespace

std::optional<OfferType> ParseOfferType(std::string_view text) {
  if (text == "early_payment_discount") return OfferType::kEarlyPaymentDiscount;
  if (text == "waiver") return OfferType::kWaiver;
  if (text == "settlement") return OfferType::kSettlement;
  return std::nullopt;
}

std::string_view OfferTypeCode(OfferType type) {
  switch (type) {
    case OfferType::kEarlyPaymentDiscount:
      return "early_payment_discount";
    case OfferType::kWaiver:
      return "waiver";
    case OfferType::kSettlement:
      return "settlement";
  }
  return "settlement";
}

std::string_view CreditNoteKindFor(OfferType type) {
  switch (type) {
    case OfferType::kEarlyPaymentDiscount:
      return "discount";
    case OfferType::kWaiver:
      return "waiver";
    case OfferType::kSettlement:
      return "settlement";
  }
  return "settlement";
}

Result<int64_t> ParsePercent(std::string_view text, Language language) {
  auto refuse = [&]() {
    return Fail(Error::BadInput(TrFormat(language, "'{}' no es un porcentaje entre 0 y 100 con hasta dos decimales",
                                         "'{}' is not a percentage from 0 to 100 with at most two decimals", text)));
  };
  if (text.empty() || text.size() > 6) return refuse();
  int64_t whole = 0;
  int64_t fraction = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_point || !seen_digit) return refuse();
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return refuse();
    seen_digit = true;
    if (seen_point) {
      if (++fraction_digits > 2) return refuse();
      fraction = fraction * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
    }
  }
  if (seen_point && fraction_digits == 0) return refuse();
  if (fraction_digits == 1) fraction *= 10;
  const int64_t basis_points = whole * 100 + fraction;
  if (basis_points > kBasisPointsPerWhole) return refuse();
  return basis_points;
}

std::string FormatPercent(int64_t basis_points) {
  return fmt::format("{}.{:02d}", basis_points / 100, basis_points % 100);
}

Result<OfferAmounts> AmountsForPercent(int64_t balance_minor, int64_t basis_points, Language language) {
  if (basis_points <= 0 || basis_points >= kBasisPointsPerWhole) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "el porcentaje debe ser mayor que 0 y menor que 100", "the percentage must be above 0 and below 100"))));
  }
  const Wide forgiven = static_cast<Wide>(balance_minor) * basis_points / kBasisPointsPerWhole;
  return AmountsForForgiven(balance_minor, static_cast<int64_t>(forgiven), language);
}

Result<OfferAmounts> AmountsForForgiven(int64_t balance_minor, int64_t forgiven_minor, Language language) {
  if (balance_minor <= 0) {
    return Fail(Error::BadInput(
        std::string(Tr(language, "las facturas elegidas no tienen saldo pendiente", "the chosen invoices owe nothing"))));
  }
  if (forgiven_minor <= 0) {
    return Fail(Error::BadInput(std::string(Tr(language, "lo condonado es cero: suba el porcentaje o el valor",
                                               "nothing would be forgiven: raise the percentage or the amount"))));
  }
  if (forgiven_minor >= balance_minor) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "lo condonado debe ser menor que el saldo (condonarlo todo es un castigo, no una oferta)",
           "the forgiven part must be less than the balance (forgiving all of it is a write-off, not an offer)"))));
  }
  return OfferAmounts{balance_minor, forgiven_minor, balance_minor - forgiven_minor};
}

std::vector<int64_t> ShareForgiven(int64_t forgiven_minor, const std::vector<int64_t>& open_minor) {
  assert(!open_minor.empty());
  Wide total = 0;
  for (int64_t open : open_minor) total += open;
  assert(total > 0 && forgiven_minor >= 0 && forgiven_minor <= total);
  std::vector<int64_t> shares(open_minor.size());
  std::vector<std::pair<Wide, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < open_minor.size(); ++i) {
    const Wide product = static_cast<Wide>(forgiven_minor) * open_minor[i];
    shares[i] = static_cast<int64_t>(product / total);
    given += shares[i];
    remainders.emplace_back(product % total, i);
  }
  // Largest remainder first; ties to the earlier invoice, so the split is
  // the same every time.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < forgiven_minor; ++k) {
    ++shares[remainders[k].second];
    ++given;
  }
  return shares;
}

std::vector<int64_t> CreditsAtFulfilment(const std::vector<int64_t>& planned_minor,
                                         const std::vector<int64_t>& open_now_minor) {
  assert(planned_minor.size() == open_now_minor.size());
  std::vector<int64_t> credits(planned_minor.size());
  int64_t left_over = 0;
  for (size_t i = 0; i < planned_minor.size(); ++i) {
    credits[i] = std::min(planned_minor[i], open_now_minor[i]);
    left_over += planned_minor[i] - credits[i];
  }
  for (size_t i = 0; i < planned_minor.size() && left_over > 0; ++i) {
    const int64_t room = open_now_minor[i] - credits[i];
    const int64_t more = std::min(room, left_over);
    credits[i] += more;
    left_over -= more;
  }
  return credits;
}

bool WithinLimit(const ApprovalLimit& limit, int64_t forgiven_minor, int64_t balance_minor) {
  if (limit.max_forgiven_minor && forgiven_minor > *limit.max_forgiven_minor) return false;
  if (!limit.max_basis_points) return true;
  return static_cast<Wide>(forgiven_minor) * kBasisPointsPerWhole <=
         static_cast<Wide>(*limit.max_basis_points) * balance_minor;
}

int64_t ForgivenBasisPoints(int64_t forgiven_minor, int64_t balance_minor) {
  if (balance_minor <= 0) return 0;
  const Wide scaled = static_cast<Wide>(forgiven_minor) * kBasisPointsPerWhole;
  return static_cast<int64_t>((scaled + balance_minor - 1) / balance_minor);
}

}  // namespace cartera::offers
