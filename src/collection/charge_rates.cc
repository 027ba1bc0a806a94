#include "collection/charge_rates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/language.h"
#include "core/text_check.h"
#include "report/output.h"

namespace cartera {
namespace {

using compliance::ChargesQuote;
using compliance::ChargesQuoteFailure;
using compliance::Rate;
using compliance::RateKind;
using compliance::RateOrigin;
using compliance::RateRow;

std::unexpected<ChargeRateFailure> Refuse(std::string field, std::string message) {
  return std::unexpected(ChargeRateFailure{Error::BadInput(std::move(message)), std::move(field)});
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string Countries() {
  std::string list;
  for (std::string_view country : compliance::ChargesCountries()) {
    if (!list.empty()) list += ", ";
    list += country;
  }
  return list;
}

Date LastOfMonth(Date day) {
  const Date next =
      day.month() == 12 ? Date::FromYmd(day.year() + 1, 1, 1) : Date::FromYmd(day.year(), day.month() + 1, 1);
  return next.PlusDays(-1);
}

Result<std::vector<ChargeRateRecord>> TenantRows(Database& database, int64_t tenant_id,
                                                 const std::optional<std::string>& country) {
  std::string sql =
      "SELECT id, country, kind, valid_from, valid_to, rate_micro_percent, source, created_by, created_at "
      "FROM charge_rates WHERE tenant_id = ?";
  if (country) sql += " AND country = ?";
  sql += " ORDER BY country, kind, valid_from, id";
  auto statement = database.Prepare(sql);
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  if (country) (*statement)->BindText(2, *country);
  std::vector<ChargeRateRecord> records;
  while (true) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    ChargeRateRecord record;
    record.row.id = (*statement)->GetInt64(0);
    record.row.country = std::string((*statement)->GetText(1));
    auto kind = compliance::ParseRateKind((*statement)->GetText(2));
    auto from = Date::ParseIso((*statement)->GetText(3));
    auto to = Date::ParseIso((*statement)->GetText(4));
    if (!kind || !from || !to) {
      return Fail(Error::Storage(fmt::format("charge_rates row {} is malformed", record.row.id)));
    }
    record.row.kind = *kind;
    record.row.valid_from = *from;
    record.row.valid_to = *to;
    record.row.rate = Rate::FromMicroPercent((*statement)->GetInt64(5));
    record.row.source = std::string((*statement)->GetText(6));
    record.row.origin = RateOrigin::kTenant;
    record.created_by = std::string((*statement)->GetText(7));
    record.created_at = std::string((*statement)->GetText(8));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

std::expected<ChargeRateRecord, ChargeRateFailure> AddChargeRate(Database& database, int64_t tenant_id,
                                                                 const ChargeRateInput& input,
                                                                 const AuditContext& audit) {
  const Language language = audit.language;
  RateRow row;
  row.origin = RateOrigin::kTenant;
  row.country = Upper(input.country);
  const auto& countries = compliance::ChargesCountries();
  if (std::find(countries.begin(), countries.end(), row.country) == countries.end()) {
    return Refuse("country", TrFormat(language, "'{}' no es un país con reglas de cargos ({})",
                                      "'{}' is not a country with charges rules ({})", input.country, Countries()));
  }
  auto kind = compliance::ParseRateKind(input.kind);
  if (!kind) {
    return Refuse("kind", TrFormat(language, "'{}' no es un tipo de tasa ({})", "'{}' is not a rate kind ({})",
                                   input.kind, compliance::RateKindList()));
  }
  if (!compliance::RateKindAppliesTo(*kind, row.country)) {
    return Refuse("kind", TrFormat(language, "el tipo '{}' no aplica a {}", "the kind '{}' does not apply to {}",
                                   input.kind, row.country));
  }
  row.kind = *kind;
  auto bad_date = [&](std::string_view field, std::string_view text) {
    return Refuse(std::string(field), TrFormat(language, "'{}' no es una fecha AAAA-MM-DD que exista",
                                               "'{}' is not an existing date YYYY-MM-DD", text));
  };
  auto from = Date::ParseIso(input.valid_from);
  if (!from) return bad_date("valid_from", input.valid_from);
  auto to = Date::ParseIso(input.valid_to);
  if (!to) return bad_date("valid_to", input.valid_to);
  if (*to < *from) {
    return Refuse("valid_to", TrFormat(language, "{} es anterior a {}", "{} is before {}", to->ToIso(), from->ToIso()));
  }
  row.valid_from = *from;
  row.valid_to = *to;
  if (row.kind == RateKind::kUsury || row.kind == RateKind::kIbc) {
    if (from->day() != 1 || *to != LastOfMonth(*from)) {
      return Refuse(
          "valid_from",
          std::string(Tr(language,
                         "la Superintendencia Financiera certifica por meses: la fila va del primer al último "
                         "día de un mes",
                         "the Superintendencia Financiera certifies by month: the row runs from the first "
                         "to the last day of one month")));
    }
  }
  if (row.kind == RateKind::kEcbReference) {
    const bool first_half = from->month() == 1 && from->day() == 1 && to->month() == 6 && to->day() == 30;
    const bool second_half = from->month() == 7 && from->day() == 1 && to->month() == 12 && to->day() == 31;
    if (from->year() != to->year() || (!first_half && !second_half)) {
      return Refuse("valid_from", std::string(Tr(language,
                                                 "el tipo del BCE rige por semestres: del 1 de enero al 30 de junio, "
                                                 "o del 1 de julio al 31 de diciembre",
                                                 "the ECB rate applies by half-year: 1 January to 30 June, or 1 July "
                                                 "to 31 December")));
    }
  }
  auto rate = Rate::ParsePercent(input.rate);
  if (!rate) {
    return Refuse("rate", TrFormat(language, "'{}' no es un porcentaje anual como 28.04 (hasta 6 decimales)",
                                   "'{}' is not an annual percentage like 28.04 (up to 6 decimals)", input.rate));
  }
  row.rate = *rate;
  if (input.source.find_first_not_of(" \t") == std::string::npos) {
    return Refuse("source", std::string(Tr(language, "indique la fuente de la tasa (resolución, boletín oficial, ley)",
                                           "give the rate's source (resolution, official gazette, statute)")));
  }
  if (input.source.size() > kChargeRateSourceBytesMax) {
    return Refuse("source", TrFormat(language, "la fuente admite como mucho {} bytes (tiene {})",
                                     "the source takes at most {} bytes (this one has {})", kChargeRateSourceBytesMax,
                                     input.source.size()));
  }
  if (auto problem = FindTextProblem(input.source)) {
    return Refuse("source",
                  TrFormat(language, "la fuente {}", "the source {}", DescribeTextProblem(*problem, language)));
  }
  row.source = input.source;

  auto fail = [](const Error& error) { return std::unexpected(ChargeRateFailure{error, ""}); };
  auto transaction = Transaction::Begin(database);
  if (!transaction) return fail(transaction.error());
  auto existing = TenantRows(database, tenant_id, row.country);
  if (!existing) return fail(existing.error());
  for (const ChargeRateRecord& other : *existing) {
    if (other.row.kind == row.kind && other.row.valid_from <= row.valid_to && row.valid_from <= other.row.valid_to) {
      return fail(Error::Conflict(
          TrFormat(language, "ya hay una fila {} de {} del {} al {} (id {}) que se solapa con esas fechas",
                   "there is already a {} row for {} from {} to {} (id {}) overlapping those days",
                   compliance::RateKindName(row.kind), row.country, other.row.valid_from.ToIso(),
                   other.row.valid_to.ToIso(), other.row.id)));
    }
  }
  auto insert = database.Prepare(
      "INSERT INTO charge_rates (tenant_id, country, kind, valid_from, valid_to, rate_micro_percent, source, "
      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, row.country);
  (*insert)->BindText(3, compliance::RateKindName(row.kind));
  (*insert)->BindText(4, row.valid_from.ToIso());
  (*insert)->BindText(5, row.valid_to.ToIso());
  (*insert)->BindInt64(6, row.rate.micro_percent());
  (*insert)->BindText(7, row.source);
  (*insert)->BindText(8, audit.actor);
  (*insert)->BindText(9, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return fail(ok.error());
  insert->reset();
  // Inside the transaction: the largest id of the tenant's rows is this one.
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM charge_rates WHERE tenant_id = {}", tenant_id));
  if (!id) return fail(id.error());
  row.id = id->value_or(0);
  ChargeRateRecord record{row, audit.actor, audit.at};
  nlohmann::json after = ChargeRateJson(record);
  if (auto ok = WriteAudit(database, tenant_id, audit, "charge_rate", row.id, "create", "", after.dump()); !ok) {
    return fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return fail(ok.error());
  return record;
}

Result<std::vector<ChargeRateRecord>> ListChargeRates(Database& database, int64_t tenant_id,
                                                      const ChargeRateFilter& filter) {
  std::optional<std::string> country;
  if (filter.country) country = Upper(*filter.country);
  auto tenant = TenantRows(database, tenant_id, country);
  if (!tenant) return Fail(tenant.error());
  std::vector<ChargeRateRecord> records;
  if (!filter.tenant_only) {
    auto shipped = compliance::ShippedRateRows();
    if (!shipped) return Fail(shipped.error());
    for (const RateRow& row : *shipped) {
      if (country && row.country != *country) continue;
      records.push_back({row, "", ""});
    }
  }
  records.insert(records.end(), tenant->begin(), tenant->end());
  if (filter.kind) {
    std::erase_if(records, [&](const ChargeRateRecord& record) { return record.row.kind != *filter.kind; });
  }
  std::stable_sort(records.begin(), records.end(), [](const ChargeRateRecord& a, const ChargeRateRecord& b) {
    return std::tuple(a.row.country, compliance::RateKindName(a.row.kind), a.row.valid_from, a.row.origin, a.row.id) <
           std::tuple(b.row.country, compliance::RateKindName(b.row.kind), b.row.valid_from, b.row.origin, b.row.id);
  });
  return records;
}

Result<compliance::RateTable> LoadRateTable(Database& database, int64_t tenant_id) {
  auto shipped = compliance::ShippedRateRows();
  if (!shipped) return Fail(shipped.error());
  auto tenant = TenantRows(database, tenant_id, std::nullopt);
  if (!tenant) return Fail(tenant.error());
  compliance::RateTable table;
  for (const RateRow& row : *shipped) table.Add(row);
  for (const ChargeRateRecord& record : *tenant) table.Add(record.row);
  return table;
}

std::expected<ChargesQuote, ChargesQuoteFailure> QuoteChargesForTenant(Database& database, int64_t tenant_id,
                                                                       const compliance::ChargesQuoteRequest& request,
                                                                       Language language) {
  auto table = LoadRateTable(database, tenant_id);
  if (!table) return std::unexpected(ChargesQuoteFailure{table.error(), ""});
  return compliance::QuoteCharges(request, *table, language);
}

namespace {

nlohmann::json MoneyOf(const cartera::Money& money) { return MoneyJson(money.minor_units(), money.currency().code()); }

nlohmann::json OptionalRate(const std::optional<Rate>& rate) {
  if (!rate) return nullptr;
  return compliance::RatePercentText(*rate);
}

nlohmann::json OptionalText(const std::string& text) {
  if (text.empty()) return nullptr;
  return text;
}

nlohmann::json LineJson(const compliance::ChargesLine& line) {
  return {{"code", line.code},          {"description", line.description},
          {"base", MoneyOf(line.base)}, {"percent", OptionalRate(line.percent)},
          {"count", line.count},        {"amount", MoneyOf(line.amount)},
          {"source", line.source}};
}

}  // namespace

nlohmann::json ChargesQuoteJson(const ChargesQuote& quote) {
  const compliance::ChargesQuoteRequest& request = quote.request;
  nlohmann::json periods = nlohmann::json::array();
  for (const compliance::ChargesPeriod& period : quote.periods) {
    periods.push_back({{"first_day", period.first_day.ToIso()},
                       {"last_day", period.last_day.ToIso()},
                       {"days", period.days},
                       {"agreed_rate", OptionalRate(period.agreed_rate)},
                       {"legal_rate", OptionalRate(period.legal_rate)},
                       {"annual_rate", compliance::RatePercentText(period.annual_rate)},
                       {"rate_source", period.rate_source},
                       {"cap", OptionalRate(period.cap)},
                       {"cap_source", OptionalText(period.cap_source)},
                       {"capped", period.capped},
                       {"cap_reason", OptionalText(period.cap_reason)},
                       {"period_rate", period.period_rate.ToPercentString(6)},
                       {"interest", MoneyOf(period.interest)}});
  }
  nlohmann::json fees = nlohmann::json::array();
  for (const compliance::ChargesLine& line : quote.fees) fees.push_back(LineJson(line));
  nlohmann::json compensation = nlohmann::json::array();
  for (const compliance::ChargesLine& line : quote.compensation) compensation.push_back(LineJson(line));
  nlohmann::json notes = nlohmann::json::array();
  for (const compliance::ChargesNote& note : quote.notes) notes.push_back({{"code", note.code}, {"text", note.text}});
  nlohmann::json uf = nullptr;
  if (request.uf_value_hundredths) {
    uf = FormatMinorUnits(*request.uf_value_hundredths, 2);
  }
  return {{"object", "charges_quote"},
          {"country", request.country},
          {"amount", MoneyOf(request.amount)},
          {"from", request.from.ToIso()},
          {"to", request.to.ToIso()},
          {"days", quote.days},
          {"agreed_annual_rate", OptionalRate(request.agreed_annual_rate)},
          {"uf_value", uf},
          {"invoices", request.invoices},
          {"rate_basis", quote.rate_basis},
          {"rounding", "half_up_per_line"},
          {"interest", MoneyOf(quote.interest)},
          {"fees", MoneyOf(quote.fees_total)},
          {"compensation", MoneyOf(quote.compensation_total)},
          {"total", MoneyOf(quote.total)},
          {"periods", periods},
          {"fee_lines", fees},
          {"compensation_lines", compensation},
          {"notes", notes}};
}

nlohmann::json ChargeRateJson(const ChargeRateRecord& record) {
  const RateRow& row = record.row;
  return {{"id", row.origin == RateOrigin::kTenant ? nlohmann::json(row.id) : nlohmann::json(nullptr)},
          {"origin", compliance::RateOriginName(row.origin)},
          {"country", row.country},
          {"kind", compliance::RateKindName(row.kind)},
          {"valid_from", row.valid_from.ToIso()},
          {"valid_to", row.valid_to.ToIso()},
          {"rate", compliance::RatePercentText(row.rate)},
          {"source", row.source},
          {"created_by", OptionalText(record.created_by)},
          {"created_at", OptionalText(record.created_at)}};
}

}  // namespace cartera
