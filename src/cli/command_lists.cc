// customers and invoices: filtered, sorted listings.
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "report/customer_credit.h"

namespace cartera {
namespace {

struct ListFilters {
  std::string status, segment, country, customer, currency, min_amount, as_of, sort, format = "table";
  int min_days_past_due = -1;
  int64_t limit = 0;
};

void AddCommonFilters(CLI::App* command, ListFilters& filters) {
  command->add_option("--segment", filters.segment,
                      L("Solo clientes que el motor puso en este segmento: habitual | occasional | high_risk | new", "Only customers the engine put in this segment: habitual | occasional | high_risk | new"))
      ->check(OneOf({"habitual", "occasional", "high_risk", "new"}));
  command->add_option("--country", filters.country, L("Solo clientes de este país (ISO 3166 alfa-2)", "Only customers of this country (ISO 3166 alpha-2)"))
      ->check(CountryCode());
  command->add_option("--min-days-past-due", filters.min_days_past_due, L("Solo deudas con al menos estos días de mora", "Only debts at least this many days past due"))
      ->check(NotNegative());
  command->add_option("--min-amount", filters.min_amount, L("Solo saldos de al menos este valor (con --currency)", "Only open amounts of at least this much (with --currency)"));
  command->add_option("--currency", filters.currency, L("Solo esta moneda", "Only this currency"));
  command->add_option("--as-of", filters.as_of, L("Fecha para los días de mora (por omisión: hoy en la zona de la empresa)", "Date for days past due (default: today in the tenant's zone)"));
  command->add_option("--limit", filters.limit, L("Como máximo estas filas", "At most this many rows"))->check(NotNegative());
  command->add_option("--format", filters.format, "table | json | csv");
}

// Binds parameters in order as the WHERE clause grows.
struct Query {
  std::string where;
  std::vector<std::variant<int64_t, std::string>> parameters;
  void Add(std::string condition, std::variant<int64_t, std::string> value) {
    where += " AND " + condition;
    parameters.push_back(std::move(value));
  }
  void Bind(Statement& statement) const {
    for (size_t i = 0; i < parameters.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (std::holds_alternative<int64_t>(parameters[i])) {
        statement.BindInt64(index, std::get<int64_t>(parameters[i]));
      } else {
        statement.BindText(index, std::get<std::string>(parameters[i]));
      }
    }
  }
};

Result<Date> AsOf(const ListFilters& filters, CommandContext& context) {
  auto as_of = ParseOptionalDate(filters.as_of, "--as-of");
  if (!as_of) return Fail(as_of.error());
  if (*as_of) return **as_of;
  auto zone = context.database().Prepare("SELECT time_zone FROM tenants WHERE id = ?");
  if (!zone) return Fail(zone.error());
  (*zone)->BindInt64(1, context.tenant_id());
  auto row = (*zone)->Step();
  if (!row) return Fail(row.error());
  return DateIn(*row ? std::string((*zone)->GetText(0)) : std::string("UTC"), context.clock().Now());
}

Status AddCommonConditions(const ListFilters& filters, Query& query, Date as_of, std::string_view open_expression) {
  // The engine's segment from the last run (customer_segments), else the
  // one imported with the customer.
  if (!filters.segment.empty()) {
    query.Add("COALESCE((SELECT s.behaviour_segment FROM customer_segments s WHERE s.tenant_id = c.tenant_id AND "
              "s.customer_id = c.id), c.segment) = ?",
              filters.segment);
  }
  if (!filters.country.empty()) query.Add("c.country = ?", filters.country);
  if (!filters.currency.empty()) {
    if (!Currency::FromCode(filters.currency)) {
      return Fail(Error::BadInput(TrFormat(CliLanguage(), "--currency '{}' no es un código ISO 4217", "--currency '{}' is not an ISO 4217 code", filters.currency)));
    }
    query.Add("i.currency = ?", filters.currency);
  }
  if (filters.min_days_past_due >= 0) query.Add("i.due_date <= ?", as_of.PlusDays(-filters.min_days_past_due).ToIso());
  if (!filters.min_amount.empty()) {
    if (filters.currency.empty()) return Fail(Error::BadInput(L("--min-amount necesita --currency (los valores son por moneda)", "--min-amount needs --currency (amounts are per currency)")));
    auto amount = Money::Parse(filters.min_amount, *Currency::FromCode(filters.currency));
    if (!amount) return Fail(Error::BadInput(fmt::format("--min-amount: {}", amount.error().message)));
    query.Add(fmt::format("{} >= ?", open_expression), amount->minor_units());
  }
  return {};
}

// Columns whose codes a table words (JSON and CSV keep the codes).
bool IsLabelColumn(const std::string& key) { return key == "status" || key == "kind" || key == "segment"; }

void Emit(const std::vector<std::string>& keys, const std::vector<std::string>& titles, const std::vector<bool>& right,
          const std::vector<std::vector<nlohmann::json>>& rows, OutputFormat format, Language language) {
  // Cells are JSON values: strings, integers, or money objects.
  auto text = [&](const nlohmann::json& cell, bool for_table) -> std::string {
    if (cell.is_null()) return "";
    if (cell.is_string()) return cell.get<std::string>();
    if (cell.is_object()) {
      if (!for_table) return cell["amount"].get<std::string>();
      auto currency = cell["currency"].get<std::string>();
      auto parsed = Money::Parse(cell["amount"].get<std::string>(), *Currency::FromCode(currency));
      return FormatMoneyForTable(parsed ? parsed->minor_units() : 0, currency, language);
    }
    return cell.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (format == OutputFormat::kJson) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& row : rows) {
      nlohmann::json object = nlohmann::json::object();
      for (size_t i = 0; i < keys.size(); ++i) object[keys[i]] = row[i];
      array.push_back(std::move(object));
    }
    std::cout << DumpJson(array) << '\n';
  } else if (format == OutputFormat::kCsv) {
    WriteCsvRow(std::cout, keys);
    for (const auto& row : rows) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(text(cell, false));
      WriteCsvRow(std::cout, cells);
    }
  } else {
    TextTable table(titles, right);
    for (const auto& row : rows) {
      std::vector<std::string> cells;
      for (size_t i = 0; i < row.size(); ++i) {
        cells.push_back(IsLabelColumn(keys[i]) && row[i].is_string() ? Label(row[i].get<std::string>(), language)
                                                                    : text(row[i], true));
      }
      table.AddRow(std::move(cells));
    }
    table.Print(std::cout);
  }
}

Status ListInvoices(const ListFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  auto as_of = AsOf(filters, context);
  if (!as_of) return Fail(as_of.error());
  Query query;
  query.Add("i.tenant_id = ?", context.tenant_id());
  if (!filters.status.empty()) {
    static const std::map<std::string, std::string> kStatus = {
        {"open", "i.open_minor = i.amount_minor AND i.open_minor > 0"},
        {"partially_paid", "i.open_minor > 0 AND i.open_minor < i.amount_minor"},
        {"paid", "i.open_minor = 0"},
        {"unpaid", "i.open_minor > 0"}};
    auto found = kStatus.find(filters.status);
    if (found == kStatus.end()) {
      return Fail(Error::BadInput(TrFormat(CliLanguage(), "--status '{}': use open, partially_paid, paid o unpaid", "--status '{}': use open, partially_paid, paid or unpaid", filters.status)));
    }
    query.where += " AND " + found->second;
  }
  if (!filters.customer.empty()) {
    if (auto known = RequireCustomer(context, filters.customer); !known) return known;
    query.Add("c.external_id = ?", filters.customer);
  }
  if (auto ok = AddCommonConditions(filters, query, *as_of, "i.open_minor"); !ok) return ok;
  static const std::map<std::string, std::string> kSort = {{"due_date", "i.due_date, i.id"},
                                                           {"issue_date", "i.issue_date, i.id"},
                                                           {"amount", "i.amount_minor DESC, i.id"},
                                                           {"open", "i.open_minor DESC, i.id"},
                                                           // What is still owed first, the longest overdue first.
                                                           {"days_past_due", "CASE WHEN i.open_minor > 0 THEN 0 ELSE 1 END, i.due_date, i.id"},
                                                           {"number", "i.number, i.id"}};
  auto sort = kSort.find(filters.sort.empty() ? "due_date" : filters.sort);
  if (sort == kSort.end()) {
    return Fail(Error::BadInput(TrFormat(context.language(), "--sort '{}': use due_date, issue_date, amount, open, days_past_due o number",
                                         "--sort '{}': use due_date, issue_date, amount, open, days_past_due or number",
                                         filters.sort)));
  }
  std::string sql = fmt::format(
      "SELECT i.external_id, i.number, c.external_id, c.name, i.issue_date, i.due_date, i.currency, i.amount_minor, "
      "i.open_minor FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id "
      "WHERE 1 = 1{} ORDER BY {}{}",
      query.where, sort->second, filters.limit > 0 ? fmt::format(" LIMIT {}", filters.limit) : "");
  auto statement = context.database().Prepare(sql);
  if (!statement) return Fail(statement.error());
  query.Bind(**statement);
  std::vector<std::vector<nlohmann::json>> rows;
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const auto& row = **statement;
    const std::string currency(row.GetText(6));
    const int64_t amount = row.GetInt64(7), open = row.GetInt64(8);
    const Date due = *Date::ParseIso(row.GetText(5));
    const int32_t days = DaysBetween(due, *as_of);
    const std::string status = open == 0 ? "paid" : open < amount ? "partially_paid" : "open";
    rows.push_back({std::string(row.GetText(0)), std::string(row.GetText(1)), std::string(row.GetText(2)),
                    std::string(row.GetText(3)), std::string(row.GetText(4)), due.ToIso(), currency,
                    MoneyJson(amount, currency), MoneyJson(open, currency), status,
                    open > 0 && days > 0 ? nlohmann::json(days) : nlohmann::json(0)});
  }
  const Language language = context.language();
  Emit({"external_id", "number", "customer_external_id", "customer_name", "issue_date", "due_date", "currency",
        "amount", "open", "status", "days_past_due"},
       {std::string(Tr(language, "Factura", "Invoice")), std::string(Tr(language, "Número", "Number")),
        std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
        std::string(Tr(language, "Emisión", "Issued")), std::string(Tr(language, "Vence", "Due")),
        std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Valor", "Amount")),
        std::string(Tr(language, "Pendiente", "Open")), std::string(Tr(language, "Estado", "Status")),
        std::string(Tr(language, "Días mora", "Days late"))},
       {false, false, false, false, false, false, false, true, true, false, true}, rows, *format, language);
  return {};
}

// Adds credit (unapplied payments and credit notes, in the customer's
// favour) and balance (open - credit) to each customer row, and a row for a
// currency in which the customer has only credit: it no longer vanishes.
Result<std::vector<std::vector<nlohmann::json>>> AddCustomerCredit(CommandContext& context, const ListFilters& filters,
                                                                  std::vector<std::vector<nlohmann::json>> rows,
                                                                  const std::vector<int64_t>& open_minor) {
  std::map<std::pair<std::string, std::string>, int64_t> credit;  // (external id, currency)
  const std::optional<std::string> currency =
      filters.currency.empty() ? std::nullopt : std::optional<std::string>(filters.currency);
  if (auto ok = ReadUnappliedCredits(context.database(), context.tenant_id(), std::nullopt, currency,
                                     [&](const UnappliedCredit& found) -> Status {
                                       auto sum = CheckedAdd(credit[{found.customer_external_id, found.currency}],
                                                             found.unapplied_minor);
                                       if (!sum) return Fail(sum.error());
                                       credit[{found.customer_external_id, found.currency}] = *sum;
                                       return {};
                                     });
      !ok) {
    return Fail(ok.error());
  }
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& row : rows) {
    if (!row[6].is_null()) listed.emplace(row[0].get<std::string>(), row[6].get<std::string>());
  }
  auto with = [](std::vector<nlohmann::json> row, int64_t owed, int64_t favour) {
    const std::string code = row[6].get<std::string>();
    row.push_back(MoneyJson(favour, code));
    row.push_back(MoneyJson(owed - favour, code));  // both are sums of non-negative amounts: no overflow
    return row;
  };
  std::vector<std::vector<nlohmann::json>> out;
  std::set<std::string> done;  // customers whose credit-only rows are out
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<nlohmann::json>& row = rows[r];
    const std::string external_id = row[0].get<std::string>();
    if (!row[6].is_null()) {
      auto found = credit.find({external_id, row[6].get<std::string>()});
      out.push_back(with(row, open_minor[r], found == credit.end() ? 0 : found->second));
    } else if (credit.lower_bound({external_id, ""}) == credit.end() ||
               credit.lower_bound({external_id, ""})->first.first != external_id) {
      row.push_back(nullptr);  // owes nothing and has no credit
      row.push_back(nullptr);
      out.push_back(row);
    }
    if (!done.insert(external_id).second) continue;
    for (auto it = credit.lower_bound({external_id, ""}); it != credit.end() && it->first.first == external_id; ++it) {
      if (listed.count(it->first) != 0) continue;
      std::vector<nlohmann::json> only_credit = row;
      only_credit.resize(10);
      only_credit[6] = it->first.second;
      only_credit[7] = MoneyJson(0, it->first.second);
      only_credit[8] = 0;
      only_credit[9] = 0;
      out.push_back(with(std::move(only_credit), 0, it->second));
    }
  }
  return out;
}

Status ListCustomers(const ListFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  auto as_of = AsOf(filters, context);
  if (!as_of) return Fail(as_of.error());
  Query query;
  query.Add("c.tenant_id = ?", context.tenant_id());
  if (auto ok = AddCommonConditions(filters, query, *as_of, "i.open_minor"); !ok) return ok;
  if (filters.status == "with_balance") {
    query.where += " AND i.id IS NOT NULL";
  } else if (!filters.status.empty()) {
    return Fail(Error::BadInput(TrFormat(CliLanguage(), "--status '{}': use with_balance", "--status '{}': use with_balance", filters.status)));
  }
  static const std::map<std::string, std::string> kSort = {{"external_id", "c.external_id"},
                                                           {"name", "c.name, c.external_id"},
                                                           {"balance", "open_minor DESC, c.external_id"},
                                                           // Debtors first (the longest overdue first), then the rest.
                                                           {"days_past_due", "CASE WHEN COALESCE(SUM(i.open_minor), 0) > 0 THEN 0 ELSE 1 END, oldest_due, c.external_id"}};
  auto sort = kSort.find(filters.sort.empty() ? "external_id" : filters.sort);
  if (sort == kSort.end()) {
    return Fail(Error::BadInput(TrFormat(CliLanguage(), "--sort '{}': use external_id, name, balance o days_past_due", "--sort '{}': use external_id, name, balance or days_past_due", filters.sort)));
  }
  // Open invoices only join; customers without debt show an empty balance.
  std::string sql = fmt::format(
      "SELECT c.external_id, c.name, c.tax_id, c.country, c.kind, COALESCE(s.behaviour_segment, c.segment), i.currency, "
      "CAST(COALESCE(SUM(i.open_minor), 0) AS BIGINT) AS open_minor, COUNT(i.id), MIN(i.due_date) AS oldest_due "
      "FROM customers c LEFT JOIN invoices i ON i.tenant_id = c.tenant_id AND i.customer_id = c.id AND i.open_minor <> 0 "
      // The engine's segment from the last run, else the imported one.
      "LEFT JOIN customer_segments s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id "
      "WHERE 1 = 1{} GROUP BY c.id, c.external_id, c.name, c.tax_id, c.country, c.kind, c.segment, s.behaviour_segment, "
      "i.currency "
      "ORDER BY {}{}",
      query.where, sort->second, filters.limit > 0 ? fmt::format(" LIMIT {}", filters.limit) : "");
  auto statement = context.database().Prepare(sql);
  if (!statement) return Fail(statement.error());
  query.Bind(**statement);
  std::vector<std::vector<nlohmann::json>> rows;
  std::vector<int64_t> open_minor;  // per row, for the balance
  while (true) {
    auto has_row = (*statement)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const auto& row = **statement;
    open_minor.push_back(row.IsNull(6) ? 0 : row.GetInt64(7));
    nlohmann::json balance = nullptr, days = 0;
    if (!row.IsNull(6)) {
      balance = MoneyJson(row.GetInt64(7), row.GetText(6));
      const int32_t late = DaysBetween(*Date::ParseIso(row.GetText(9)), *as_of);
      days = late > 0 ? late : 0;
    }
    rows.push_back({std::string(row.GetText(0)), std::string(row.GetText(1)), std::string(row.GetText(2)),
                    std::string(row.GetText(3)), std::string(row.GetText(4)),
                    row.IsNull(5) ? nlohmann::json(nullptr) : nlohmann::json(std::string(row.GetText(5))),
                    row.IsNull(6) ? nlohmann::json(nullptr) : nlohmann::json(std::string(row.GetText(6))), balance,
                    row.GetInt64(8), days});
  }
  auto with_credit = AddCustomerCredit(context, filters, std::move(rows), open_minor);
  if (!with_credit) return Fail(with_credit.error());
  const Language language = context.language();
  Emit({"external_id", "name", "tax_id", "country", "kind", "segment", "currency", "open", "open_invoices",
        "max_days_past_due", "credit", "balance"},
       {std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
        std::string(Tr(language, "NIT/ID", "Tax ID")), std::string(Tr(language, "País", "Country")),
        std::string(Tr(language, "Tipo", "Kind")), std::string(Tr(language, "Segmento", "Segment")),
        std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Saldo", "Open")),
        std::string(Tr(language, "Facturas", "Invoices")), std::string(Tr(language, "Días mora", "Days late")),
        std::string(Tr(language, "A favor", "Credit")), std::string(Tr(language, "Saldo neto", "Balance"))},
       {false, false, false, false, false, false, false, true, true, true, true, true}, *with_credit, *format,
       language);
  return {};
}

}  // namespace

void AddListCommands(CLI::App& app, CliState& state) {
  auto invoice_filters = std::make_shared<ListFilters>();
  CLI::App* invoices = app.add_subcommand("invoices", L("Lista facturas con filtros", "List invoices with filters"));
  invoices->add_option("--status", invoice_filters->status, "open | partially_paid | paid | unpaid");
  invoices->add_option("--customer", invoice_filters->customer, L("Solo las de este cliente (id externo)", "Only this customer's (external id)"));
  invoices->add_option("--sort", invoice_filters->sort,
                        L("due_date | issue_date | amount (valor de la factura) | open (lo que falta) | days_past_due | number", "due_date | issue_date | amount (the invoice's) | open (what is left) | days_past_due | number"));
  AddCommonFilters(invoices, *invoice_filters);
  invoices->callback([&state, invoice_filters]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    if (auto done = ListInvoices(*invoice_filters, *context); !done) state.exit_code = ReportError(done.error());
  });

  auto customer_filters = std::make_shared<ListFilters>();
  CLI::App* customers = app.add_subcommand("customers", L("Lista clientes con su saldo", "List customers with their open balance"));
  customers->add_option("--status", customer_filters->status, L("with_balance: solo clientes que deben", "with_balance: only customers who owe"));
  customers->add_option("--sort", customer_filters->sort, "external_id | name | balance | days_past_due");
  AddCommonFilters(customers, *customer_filters);
  customers->callback([&state, customer_filters]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    if (auto done = ListCustomers(*customer_filters, *context); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
