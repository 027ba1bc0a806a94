// audit: who changed what in the ledger, with before and after.
#include <fmt/format.h>

#include "cli/commands.h"

namespace cartera {

void AddAuditCommand(CLI::App& app, CliState& state) {
  struct Options {
    std::string entity, external_id, format = "table";
    int64_t limit = 50;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("audit", L("El registro de auditoría: cada alta, cambio y baja, el más reciente primero", "The audit log: every create, update and delete, newest first"));
  command->add_option("--entity", options->entity, "customer | invoice | payment | credit_note | allocation | contact_point | promise | dispute | task | message | tenant")
      ->check(CLI::IsMember({"customer", "invoice", "payment", "credit_note", "allocation", "contact_point", "promise",
                            "dispute", "task", "message", "tenant"}));
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
      if (!options->external_id.empty() && (options->entity == "allocation" || options->entity == "contact_point" || options->entity == "promise" ||
                                            options->entity == "dispute" || options->entity == "task" ||
                                            options->entity == "message" || options->entity == "tenant")) {
        return Fail(Error::BadInput(L("--id sirve para clientes, facturas, pagos y notas crédito", "--id works for customers, invoices, payments and credit notes")));
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      std::string where = "a.tenant_id = ?";
      std::string from = "audit_log a";
      if (!options->entity.empty()) where += " AND a.entity = ?";
      if (!options->external_id.empty()) {
        const std::string table = options->entity == "credit_note" ? "credit_notes" : options->entity + "s";
        // Rows created by an import are audited as one id range.
        where += fmt::format(" AND a.entity_id <= d.id AND (a.entity_id = d.id OR a.entity_id_last >= d.id)");
        from = fmt::format("audit_log a JOIN {} d ON d.tenant_id = a.tenant_id AND d.external_id = ?", table);
      }
      auto query = context->database().Prepare(fmt::format(
          "SELECT a.at, a.actor, a.entity, a.entity_id, a.action, a.before_json, a.after_json, a.source, "
          "a.entity_id_last FROM {} WHERE {} ORDER BY a.id DESC LIMIT {}",
          from, where, std::max<int64_t>(options->limit, 1)));
      if (!query) return Fail(query.error());
      int parameter = 1;
      if (!options->external_id.empty()) (*query)->BindText(parameter++, options->external_id);
      (*query)->BindInt64(parameter++, context->tenant_id());
      if (!options->entity.empty()) (*query)->BindText(parameter++, options->entity);
      const Language language = context->language();
      nlohmann::json events = nlohmann::json::array();
      TextTable table({std::string(Tr(language, "Fecha (UTC)", "At (UTC)")), std::string(Tr(language, "Actor", "Actor")),
                       std::string(Tr(language, "Entidad", "Entity")), std::string(Tr(language, "Acción", "Action")),
                       std::string(Tr(language, "Origen", "Source")), std::string(Tr(language, "Cambio", "Change"))});
      while (true) {
        auto has_row = (*query)->Step();
        if (!has_row) return Fail(has_row.error());
        if (!*has_row) break;
        const auto& row = **query;
        auto parse = [&](int column) {
          return row.IsNull(column) ? nlohmann::json(nullptr)
                                    : nlohmann::json::parse(row.GetText(column), nullptr, false);
        };
        nlohmann::json before = parse(5), after = parse(6);
        const bool range = !row.IsNull(8);
        events.push_back({{"at", std::string(row.GetText(0))}, {"actor", std::string(row.GetText(1))},
                          {"entity", std::string(row.GetText(2))}, {"entity_id", row.GetInt64(3)},
                          {"entity_id_last", range ? nlohmann::json(row.GetInt64(8)) : nlohmann::json(nullptr)},
                          {"action", std::string(row.GetText(4))}, {"before", before}, {"after", after},
                          {"source", row.IsNull(7) ? "" : std::string(row.GetText(7))}});
        std::string change;
        if (before.is_object() && after.is_object()) {
          for (auto& [key, value] : after.items()) {
            if (before.contains(key) && before[key] != value) {
              change += fmt::format("{}{}: {} -> {}", change.empty() ? "" : "; ", key, 
                                  before[key].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                  value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            }
          }
        } else {
          const nlohmann::json& shown = after.is_object() ? after : before;
          change = shown.is_null() ? "" : shown.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
          if (change.size() > 80) change = change.substr(0, 77) + "...";
        }
        const std::string entity = Label(row.GetText(2), language);
        table.AddRow({std::string(row.GetText(0)), std::string(row.GetText(1)),
                      range ? fmt::format("{} {}..{}", entity, row.GetInt64(3), row.GetInt64(8))
                            : fmt::format("{} {}", entity, row.GetInt64(3)),
                      Label(row.GetText(4), language),
                      row.IsNull(7) ? "" : std::string(row.GetText(7)), change});
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
