// customers, invoices, payments and credit notes: filtered, paged listings.
// The lists are use cases (report/customer_list.h, report/invoice_list.h,
// report/payment_list.h, report/credit_note_list.h); this file
// parses the options, calls them and prints.
#include <cctype>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/money.h"
#include "report/credit_note_list.h"
#include "report/customer_list.h"
#include "report/invoice_list.h"
#include "report/list_page.h"
#include "report/payment_list.h"

namespace cartera {
namespace {

struct ListFilters {
  std::string status, segment, country, customer, currency, min_amount, as_of, sort, starting_after, format = "table";
  std::string collector;  // customers only: an e-mail or "none"
  std::optional<std::string> search;  // customers only: report/customer_list.h's search
  bool on_hold = false;               // customers only: on credit hold
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
  command->add_option("--limit", filters.limit, L("Como máximo estas filas (en customers: clientes, con todas sus filas)", "At most this many rows (for customers: customers, with all their rows)"))->check(NotNegative());
  command->add_option("--starting-after", filters.starting_after,
                      L("Sigue después de este id externo (el último de la página anterior)",
                        "Continue after this external id (the last one of the previous page)"));
  command->add_option("--format", filters.format, "table | json | csv");
}

std::optional<std::string> Given(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// The filters both lists share, into either list's query (the two have
// the same fields for them).
template <typename Query>
Status ParseCommonFilters(const ListFilters& filters, CommandContext& context, Query& parsed) {
  auto as_of = ParseOptionalDate(filters.as_of, "--as-of");
  if (!as_of) return Fail(as_of.error());
  if (*as_of) {
    parsed.as_of = **as_of;
  } else {
    auto today = TenantToday(context.database(), context.tenant_id(), context.clock().Now());
    if (!today) return Fail(today.error());
    parsed.as_of = *today;
  }
  parsed.segment = Given(filters.segment);
  parsed.country = Given(filters.country);
  if (!filters.currency.empty()) {
    parsed.currency = Currency::FromCode(filters.currency);
    if (!parsed.currency) {
      return Fail(Error::BadInput(TrFormat(CliLanguage(), "--currency '{}' no es un código ISO 4217", "--currency '{}' is not an ISO 4217 code", filters.currency)));
    }
  }
  if (filters.min_days_past_due >= 0) parsed.min_days_past_due = filters.min_days_past_due;
  if (!filters.min_amount.empty()) {
    if (!parsed.currency) return Fail(Error::BadInput(L("--min-amount necesita --currency (los valores son por moneda)", "--min-amount needs --currency (amounts are per currency)")));
    auto amount = Money::Parse(filters.min_amount, *parsed.currency);
    if (!amount) return Fail(Error::BadInput(fmt::format("--min-amount: {}", amount.error().message)));
    parsed.min_amount = *amount;
  }
  if (filters.limit > 0) parsed.limit = filters.limit;
  parsed.starting_after = Given(filters.starting_after);
  return {};
}

// Columns whose codes a table words (JSON and CSV keep the codes).
bool IsLabelColumn(const std::string& key) { return key == "status" || key == "kind" || key == "segment"; }

// Prints records (each the JSON object of its one shape) as a table, JSON
// or CSV. Cells are JSON values: strings, integers, or money objects.
void Emit(const std::vector<std::string>& keys, const std::vector<std::string>& titles, const std::vector<bool>& right,
          const std::vector<nlohmann::json>& records, OutputFormat format, Language language) {
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
    std::cout << DumpJson(nlohmann::json(records)) << '\n';
  } else if (format == OutputFormat::kCsv) {
    WriteCsvRow(std::cout, keys);
    for (const auto& record : records) {
      std::vector<std::string> cells;
      for (const auto& key : keys) cells.push_back(text(record[key], false));
      WriteCsvRow(std::cout, cells);
    }
  } else {
    TextTable table(titles, right);
    for (const auto& record : records) {
      std::vector<std::string> cells;
      for (const auto& key : keys) {
        const nlohmann::json& cell = record[key];
        cells.push_back(IsLabelColumn(key) && cell.is_string() ? Label(cell.get<std::string>(), language)
                                                               : text(cell, true));
      }
      table.AddRow(std::move(cells));
    }
    table.Print(std::cout);
  }
}

Status PrintInvoices(const ListFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  InvoiceListQuery query;
  if (auto ok = ParseCommonFilters(filters, context, query); !ok) return ok;
  if (!filters.status.empty()) {
    query.status = InvoiceStatusFromName(filters.status);
    if (!query.status) {
      return Fail(Error::BadInput(TrFormat(CliLanguage(), "--status '{}': use open, partially_paid, paid o unpaid", "--status '{}': use open, partially_paid, paid or unpaid", filters.status)));
    }
  }
  auto sort = InvoiceSortFromName(filters.sort.empty() ? "due_date" : filters.sort);
  if (!sort) {
    return Fail(Error::BadInput(TrFormat(context.language(), "--sort '{}': use due_date, issue_date, amount, open, days_past_due o number",
                                         "--sort '{}': use due_date, issue_date, amount, open, days_past_due or number",
                                         filters.sort)));
  }
  query.sort = *sort;
  query.customer = Given(filters.customer);
  const Language language = context.language();
  auto list = ListInvoices(context.database(), context.tenant_id(), query, language);
  if (!list) return Fail(list.error());
  std::vector<nlohmann::json> records;
  for (const InvoiceRow& row : list->rows) records.push_back(InvoiceRowJson(row));
  Emit({"external_id", "number", "customer_external_id", "customer_name", "issue_date", "due_date", "currency",
        "amount", "open", "status", "days_past_due"},
       {std::string(Tr(language, "Factura", "Invoice")), std::string(Tr(language, "Número", "Number")),
        std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
        std::string(Tr(language, "Emisión", "Issued")), std::string(Tr(language, "Vence", "Due")),
        std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Valor", "Amount")),
        std::string(Tr(language, "Pendiente", "Open")), std::string(Tr(language, "Estado", "Status")),
        std::string(Tr(language, "Días mora", "Days late"))},
       {false, false, false, false, false, false, false, true, true, false, true}, records, *format, language);
  return {};
}

Status PrintCustomers(const ListFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  CustomerListQuery query;
  if (auto ok = ParseCommonFilters(filters, context, query); !ok) return ok;
  if (filters.status == "with_balance") {
    query.with_balance = true;
  } else if (!filters.status.empty()) {
    return Fail(Error::BadInput(TrFormat(CliLanguage(), "--status '{}': use with_balance", "--status '{}': use with_balance", filters.status)));
  }
  auto sort = CustomerSortFromName(filters.sort.empty() ? "external_id" : filters.sort);
  if (!sort) {
    return Fail(Error::BadInput(TrFormat(CliLanguage(), "--sort '{}': use external_id, name, balance o days_past_due", "--sort '{}': use external_id, name, balance or days_past_due", filters.sort)));
  }
  query.sort = *sort;
  if (filters.collector == "none") {
    query.collector = CustomerListQuery::CollectorFilter{};
  } else if (!filters.collector.empty()) {
    std::string email = filters.collector;
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    query.collector = CustomerListQuery::CollectorFilter{email};
  }
  const Language language = context.language();
  if (filters.search) {
    auto search = CustomerSearchText(*filters.search, language);
    if (!search) return Fail(search.error());
    query.search = *search;
  }
  if (filters.on_hold) query.on_hold = true;
  auto list = ListCustomers(context.database(), context.tenant_id(), query, language);
  if (!list) return Fail(list.error());
  std::vector<nlohmann::json> records;
  for (const CustomerListRow& row : list->rows) records.push_back(CustomerListRowJson(row));
  std::vector<std::string> keys = {"external_id", "name", "tax_id", "country", "kind", "segment", "currency", "open",
                                   "open_invoices", "max_days_past_due", "credit", "balance"};
  // JSON has every field; CSV adds the credit hold as its last columns.
  if (*format == OutputFormat::kCsv) {
    keys.push_back("on_hold");
    keys.push_back("hold_reasons");
    for (nlohmann::json& record : records) {
      std::string reasons;
      for (const auto& reason : record["hold_reasons"]) reasons += (reasons.empty() ? "" : ";") + reason.get<std::string>();
      record["hold_reasons"] = reasons;
    }
  }
  Emit(keys,
       {std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Nombre", "Name")),
        std::string(Tr(language, "NIT/ID", "Tax ID")), std::string(Tr(language, "País", "Country")),
        std::string(Tr(language, "Tipo", "Kind")), std::string(Tr(language, "Segmento", "Segment")),
        std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Saldo", "Open")),
        std::string(Tr(language, "Facturas", "Invoices")), std::string(Tr(language, "Días mora", "Days late")),
        std::string(Tr(language, "A favor", "Credit")), std::string(Tr(language, "Saldo neto", "Balance"))},
       {false, false, false, false, false, false, false, true, true, true, true, true}, records, *format, language);
  return {};
}

// payments and credit-notes: the same options and order (report/credit_list.h).
struct CreditFilters {
  std::string customer, from, to, currency, starting_after, format = "table";
  int64_t limit = 0;
};

void AddCreditFilters(CLI::App* command, CreditFilters& filters) {
  command->add_option("--customer", filters.customer, L("Solo los de este cliente (id externo)", "Only this customer's (external id)"));
  command->add_option("--from", filters.from, L("Desde esta fecha (incluida)", "From this date (included)"));
  command->add_option("--to", filters.to, L("Hasta esta fecha (incluida)", "Up to this date (included)"));
  command->add_option("--currency", filters.currency, L("Solo esta moneda", "Only this currency"));
  command->add_option("--limit", filters.limit, L("Como máximo estas filas", "At most this many rows"))->check(NotNegative());
  command->add_option("--starting-after", filters.starting_after,
                      L("Sigue después de este id externo (el último de la página anterior)",
                        "Continue after this external id (the last one of the previous page)"));
  command->add_option("--format", filters.format, "table | json | csv");
}

Status ParseCreditFilters(const CreditFilters& filters, CreditListQuery& query) {
  query.customer = Given(filters.customer);
  auto from = ParseOptionalDate(filters.from, "--from");
  if (!from) return Fail(from.error());
  query.from = *from;
  auto to = ParseOptionalDate(filters.to, "--to");
  if (!to) return Fail(to.error());
  query.to = *to;
  if (!filters.currency.empty()) {
    query.currency = Currency::FromCode(filters.currency);
    if (!query.currency) {
      return Fail(Error::BadInput(TrFormat(CliLanguage(), "--currency '{}' no es un código ISO 4217", "--currency '{}' is not an ISO 4217 code", filters.currency)));
    }
  }
  if (filters.limit > 0) query.limit = filters.limit;
  query.starting_after = Given(filters.starting_after);
  return {};
}

Status PrintPayments(const CreditFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  PaymentListQuery query;
  if (auto ok = ParseCreditFilters(filters, query); !ok) return ok;
  const Language language = context.language();
  auto list = ListPayments(context.database(), context.tenant_id(), query, language);
  if (!list) return Fail(list.error());
  std::vector<nlohmann::json> records;
  for (const PaymentRow& row : list->rows) records.push_back(PaymentJson(row));
  Emit({"external_id", "customer_external_id", "customer_name", "date", "currency", "amount", "unapplied", "method",
        "reference"},
       {std::string(Tr(language, "Pago", "Payment")), std::string(Tr(language, "Cliente", "Customer")),
        std::string(Tr(language, "Nombre", "Name")), std::string(Tr(language, "Fecha", "Date")),
        std::string(Tr(language, "Moneda", "Currency")), std::string(Tr(language, "Valor", "Amount")),
        std::string(Tr(language, "Sin aplicar", "Unapplied")), std::string(Tr(language, "Medio", "Method")),
        std::string(Tr(language, "Referencia", "Reference"))},
       {false, false, false, false, false, true, true, false, false}, records, *format, language);
  return {};
}

Status PrintCreditNotes(const CreditFilters& filters, CommandContext& context) {
  auto format = ParseFormat(filters.format);
  if (!format) return Fail(format.error());
  CreditNoteListQuery query;
  if (auto ok = ParseCreditFilters(filters, query); !ok) return ok;
  const Language language = context.language();
  auto list = ListCreditNotes(context.database(), context.tenant_id(), query, language);
  if (!list) return Fail(list.error());
  std::vector<nlohmann::json> records;
  for (const CreditNoteRow& row : list->rows) records.push_back(CreditNoteJson(row));
  Emit({"external_id", "customer_external_id", "customer_name", "invoice_external_id", "date", "currency", "amount",
        "unapplied", "reason"},
       {std::string(Tr(language, "Nota crédito", "Credit note")), std::string(Tr(language, "Cliente", "Customer")),
        std::string(Tr(language, "Nombre", "Name")), std::string(Tr(language, "Factura", "Invoice")),
        std::string(Tr(language, "Fecha", "Date")), std::string(Tr(language, "Moneda", "Currency")),
        std::string(Tr(language, "Valor", "Amount")), std::string(Tr(language, "Sin aplicar", "Unapplied")),
        std::string(Tr(language, "Motivo", "Reason"))},
       {false, false, false, false, false, false, true, true, false}, records, *format, language);
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
    if (auto done = PrintInvoices(*invoice_filters, *context); !done) state.exit_code = ReportError(done.error());
  });

  auto customer_filters = std::make_shared<ListFilters>();
  CLI::App* customers = app.add_subcommand("customers", L("Lista clientes con su saldo", "List customers with their open balance"));
  customers->add_option("--status", customer_filters->status, L("with_balance: solo clientes que deben", "with_balance: only customers who owe"));
  customers->add_option("--sort", customer_filters->sort, "external_id | name | balance | days_past_due");
  customers->add_option(
      "--collector", customer_filters->collector,
      L("Solo los clientes asignados a este cobrador (su correo), o none: los que no tienen",
        "Only the customers assigned to this collector (their e-mail), or none: those assigned to no one"));
  customers->add_option("--search", customer_filters->search,
                         L("Solo clientes cuyo id externo o NIT empieza por TEXTO o cuyo nombre lo contiene (sin distinguir mayúsculas)",
                           "Only customers whose external id or tax id starts with TEXT or whose name contains it (any case)"))
      ->option_text("TEXT");
  customers->add_flag("--on-hold", customer_filters->on_hold,
                      L("Solo clientes con bloqueo de crédito (según la última corrida)",
                        "Only customers on credit hold (as the last run left them)"));
  AddCommonFilters(customers, *customer_filters);
  customers->callback([&state, customer_filters]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    if (auto done = PrintCustomers(*customer_filters, *context); !done) state.exit_code = ReportError(done.error());
  });

  auto payment_filters = std::make_shared<CreditFilters>();
  CLI::App* payments = app.add_subcommand(
      "payments", L("Lista pagos, los más recientes primero, con las facturas que pagaron",
                    "List payments, newest first, with the invoices they paid"));
  AddCreditFilters(payments, *payment_filters);
  payments->callback([&state, payment_filters]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    if (auto done = PrintPayments(*payment_filters, *context); !done) state.exit_code = ReportError(done.error());
  });

  auto credit_note_filters = std::make_shared<CreditFilters>();
  CLI::App* credit_notes = app.add_subcommand(
      "credit-notes", L("Lista notas crédito, las más recientes primero, con su factura",
                        "List credit notes, newest first, with their invoice"));
  AddCreditFilters(credit_notes, *credit_note_filters);
  credit_notes->callback([&state, credit_note_filters]() {
    auto context = CommandContext::Open(state.global);
    if (!context) {
      state.exit_code = ReportError(context.error());
      return;
    }
    if (auto done = PrintCreditNotes(*credit_note_filters, *context); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
