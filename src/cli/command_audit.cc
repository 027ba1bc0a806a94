// audit: who changed what in the ledger, with before and after.
#include <fmt/format.h>

#include "cli/commands.h"
#include "report/audit_report.h"

namespace cartera {

void AddAuditCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string entity, external_id, format = "table";
    int64_t limit = 50;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("audit", L("El registro de auditoría: cada alta, cambio y baja, el más reciente primero", "The audit log: every create, update and delete, newest first"));
  command->add_option("--entity", options->entity, "customer | invoice | payment | credit_note | allocation | contact_point | promise | dispute | task | message | tenant | "
                                              "user | api_key | run | strategy | channel | template_override | "
                                              "webhook_endpoint | webhook_delivery | dispute_reason")
      ->check(CLI::IsMember({"customer", "invoice", "payment", "credit_note", "allocation", "contact_point", "promise",
                            "dispute", "task", "message", "tenant", "user", "api_key", "run", "strategy", "channel",
                            "template_override", "webhook_endpoint", "webhook_delivery", "dispute_reason"}));
  command->add_option("--id", options->external_id, L("Solo este documento (su id externo; necesita --entity)", "Only this document (its external id; needs --entity)"));
  command->add_option("--limit", options->limit, L("Como máximo estos eventos (por omisión 50)", "At most this many events (default 50)"))->check(NotNegative());
  command->add_option("--format", options->format, "table | json");
  command->callback([&state, options]() {
    auto run = [&]() -> Status {
      auto format = ParseFormat(options->format, false);
      if (!format) return Fail(format.error());
      if (!options->external_id.empty() && options->entity.empty()) {
        return Fail(Error::BadInput(L("--id necesita --entity (¿qué clase de documento?)", "--id needs --entity (which kind of document?)")));
      }
      const bool has_external_ids = options->entity == "customer" || options->entity == "invoice" ||
                                    options->entity == "payment" || options->entity == "credit_note";
      if (!options->external_id.empty() && !has_external_ids) {
        return Fail(Error::BadInput(L("--id sirve para clientes, facturas, pagos y notas crédito", "--id works for customers, invoices, payments and credit notes")));
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      AuditFilter filter;
      if (!options->entity.empty()) filter.entity = options->entity;
      if (!options->external_id.empty()) filter.external_id = options->external_id;
      filter.limit = options->limit;
      auto found = ListAuditEvents(context->database(), context->tenant_id(), filter);
      if (!found) return Fail(found.error());
      const Language language = context->language();
      nlohmann::json events = nlohmann::json::array();
      TextTable table({std::string(Tr(language, "Fecha (UTC)", "At (UTC)")), std::string(Tr(language, "Actor", "Actor")),
                       std::string(Tr(language, "Entidad", "Entity")), std::string(Tr(language, "Acción", "Action")),
                       std::string(Tr(language, "Origen", "Source")), std::string(Tr(language, "Cambio", "Change"))});
      for (const AuditEvent& event : *found) {
        events.push_back(AuditEventJson(event));
        const std::string entity = Label(event.entity, language);
        table.AddRow({event.at, event.actor,
                      event.entity_id_last ? fmt::format("{} {}..{}", entity, event.entity_id, *event.entity_id_last)
                                           : fmt::format("{} {}", entity, event.entity_id),
                      Label(event.action, language), event.source, DescribeAuditChange(event)});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(events) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    };
    if (auto done = run(); !done) state.exit_code = ReportError(done.error());
  });
}

}  // namespace cartera
