// Credit-bureau reporting timers: for each customer with overdue debt, the
// prior notices sent, the earliest date the debt may be reported
// (compliance/credit_reporting.h with the customer's rulebook: Colombia,
// Ley 1266 art. 12 and Ley 2157; US, Regulation F 1006.30(a)), and for
// debts paid late the date the negative data must be removed (twice the
// time in default, at most 4 years after payment). Reads only; the date
// `as_of` is passed in, never the machine's clock.
//
// A notice is an outbox message of the customer whose template or stage is
// "bureau_notice" and that was sent (status sent or delivered; a bounce is
// not a notice), dated in the customer's time zone.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/language.h"
#include "core/money.h"
#include "store/database.h"

namespace cartera::escalation {

inline constexpr std::string_view kBureauNoticeTemplate = "bureau_notice";

// The monthly minimum wage of a country in a year, in minor units of its
// currency, with the decree that set it; nullopt when Cartera does not know
// it (then a small-debt tier is applied as if the debt were small: the
// stricter count of notices).
struct MinimumWage {
  int64_t minor = 0;
  std::string currency;
  std::string source;
};
std::optional<MinimumWage> MonthlyMinimumWage(std::string_view country, int year);

// Removal of negative data for a debt paid on `paid` after `default_since`
// (the first day past due): paid + min(2 x days in default, 4 years).
Date NegativeDataRemovalDate(Date default_since, Date paid);

struct BureauEntry {
  std::string customer_external_id;
  std::string name;
  std::string tax_id;
  std::string country;
  std::string currency;
  int64_t overdue_minor = 0;            // open and past due at as_of
  std::optional<Date> oldest_due_date;  // of the open overdue invoices
  int32_t days_in_default = 0;
  std::vector<Date> notices;     // distinct days, oldest first
  int32_t notices_required = 0;  // by the rule for this debt
  bool small_debt = false;
  std::optional<Date> earliest_report_date;
  // "reportable" (earliest_report_date <= as_of), "waiting" (notices sent,
  // the wait not over), "notice_needed" (not enough notices).
  std::string status;
  std::string rule_id;
  std::string rule_source;
  std::string note;  // why a number is what it is (e.g. the minimum wage used)
  // The latest removal date of negative data among the customer's invoices
  // in this currency paid late; nullopt when none was paid late.
  std::optional<Date> removal_date;
};

struct BureauQuery {
  Date as_of;
  std::optional<std::string> customer_external_id;
  std::optional<std::string> status;  // reportable | waiting | notice_needed
};

// One entry per customer and currency with overdue debt whose rulebook has
// a credit_report_notice rule, by customer external id. kNotFound (in
// `language`) for an unknown customer in the query.
Result<std::vector<BureauEntry>> BureauReportList(Database& database, int64_t tenant_id, const BureauQuery& query,
                                                  Language language);
nlohmann::json BureauEntryJson(const BureauEntry& entry);
// The list for the bureau: a CSV with a header.
std::string BureauCsv(const std::vector<BureauEntry>& entries);

}  // namespace cartera::escalation
