// agency, escalate, escalation, write-off: handing accounts to an agency or
// a court, and writing them off (escalation/*.h). Each command parses its
// options, calls one use case and prints the result.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "core/time_zone.h"
#include "escalation/bureau.h"
#include "escalation/case_file.h"
#include "escalation/escalation.h"
#include "escalation/legal.h"
#include "escalation/write_off.h"
#include "report/output.h"

namespace cartera {
namespace {

using namespace escalation;

// Text output to a file, or stdout with "-".
Status WriteTextOutput(const std::string& text, const std::string& path) {
  if (path == "-" || path.empty()) {
    std::cout << text;
    return {};
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail(Error::BadInput(fmt::format("--output: {}", L("no se pudo escribir", "cannot write"))));
  return {};
}

void PrintCase(const EscalationCase& item, Language language) {
  std::cout << fmt::format("{} {} · {} · {}{}\n", Tr(language, "Caso", "Case"), item.id, item.kind, item.status,
                           item.stage.empty() ? "" : " · " + item.stage);
  std::cout << fmt::format("{}: {} ({})\n", Tr(language, "Cliente", "Customer"), item.customer_external_id,
                           item.customer_name);
  if (item.agency_id) {
    std::cout << fmt::format("{}: {} ({}) · {} {} %\n", Tr(language, "Agencia", "Agency"), item.agency_name,
                             *item.agency_id, Tr(language, "comisión", "commission"),
                             FormatBasisPoints(item.commission_basis_points.value_or(0)));
  }
  TextTable invoices({std::string(Tr(language, "Factura", "Invoice")), std::string(Tr(language, "Vence", "Due")),
                      std::string(Tr(language, "Pendiente", "Open")), std::string(Tr(language, "Retenida", "Held"))},
                     {false, false, true, false});
  for (const CaseInvoice& invoice : item.invoices) {
    invoices.AddRow({invoice.external_id, invoice.due_date.ToIso(),
                     FormatMoneyForTable(invoice.open_minor, invoice.currency, language) + " " + invoice.currency,
                     invoice.held ? std::string(Tr(language, "sí", "yes")) : std::string(Tr(language, "no", "no"))});
  }
  invoices.Print(std::cout);
  for (const Recovery& recovery : item.recoveries) {
    std::cout << fmt::format("{} {} {}: {} {} · {} {} {}\n", Tr(language, "Recuperado", "Recovered"),
                             recovery.date.ToIso(), recovery.reference,
                             FormatMoneyForTable(recovery.amount_minor, recovery.currency, language), recovery.currency,
                             Tr(language, "comisión", "commission"),
                             FormatMoneyForTable(recovery.commission_minor, recovery.currency, language),
                             recovery.currency);
  }
  for (const LegalDocumentInfo& document : item.documents) {
    std::cout << fmt::format("{} {}: {} ({}, {} bytes)\n", Tr(language, "Documento", "Document"), document.id,
                             document.name, document.content_type, document.size_bytes);
  }
  for (const LegalCost& cost : item.costs) {
    std::cout << fmt::format("{} {}: {} {} · {}\n", Tr(language, "Costo", "Cost"), cost.date.ToIso(),
                             FormatMoneyForTable(cost.amount_minor, cost.currency, language), cost.currency,
                             cost.description);
  }
}

void AddAgencyCommands(CLI::App& app, CliState& state) {
  CLI::App* agency = app.add_subcommand("agency", L("Agencias de cobranza", "Collection agencies"));
  agency->require_subcommand(1);
  struct AddArgs {
    std::string name, commission, contact;
  };
  auto add_args = std::make_shared<AddArgs>();
  CLI::App* add = agency->add_subcommand("add", L("Registra una agencia con su comisión", "Add an agency with its commission"));
  add->add_option("name", add_args->name, L("Nombre", "Name"))->required();
  add->add_option("--commission", add_args->commission, L("Comisión en % (p. ej. 15 o 12.5)", "Commission in % (e.g. 15 or 12.5)"))->required();
  add->add_option("--contact", add_args->contact, L("Contacto (texto libre)", "Contact (free text)"));
  add->callback([&state, add_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto basis_points = ParseCommissionPercent(add_args->commission, "--commission", context->language());
      if (!basis_points) return Fail(basis_points.error());
      auto added = AddAgency(context->database(), context->tenant_id(), add_args->name, add_args->contact,
                             *basis_points, context->Audit("cartera agency add"));
      if (!added) return Fail(added.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Agencia registrada:", "Agency added:"), added->id);
      return {};
    });
  });
  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = agency->add_subcommand("list", L("Lista las agencias", "List agencies"));
  list->add_option("--format", *list_format, "table | json");
  list->callback([&state, list_format]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(*list_format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto agencies = ListAgencies(context->database(), context->tenant_id());
      if (!agencies) return Fail(agencies.error());
      const Language language = context->language();
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({"Id", std::string(Tr(language, "Nombre", "Name")), std::string(Tr(language, "Comisión %", "Commission %")),
                       std::string(Tr(language, "Contacto", "Contact"))},
                      {true, false, true, false});
      for (const Agency& item : *agencies) {
        rows.push_back(AgencyJson(item));
        table.AddRow({std::to_string(item.id), item.name, FormatBasisPoints(item.commission_basis_points), item.contact});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });
}

void AddEscalateCommands(CLI::App& app, CliState& state) {
  CLI::App* escalate = app.add_subcommand("escalate", L("Entrega facturas a una agencia o a un proceso judicial (se dejan de cobrar)", "Hand invoices to an agency or to legal action (collection pauses)"));
  escalate->require_subcommand(1);
  struct Args {
    std::string customer, note;
    int64_t agency = 0;
    std::vector<std::string> invoices;
  };
  for (const std::string kind : {"agency", "legal"}) {
    auto args = std::make_shared<Args>();
    CLI::App* command = escalate->add_subcommand(
        kind, kind == "agency" ? L("A una agencia de cobranza", "To a collection agency")
                               : L("A un proceso judicial (etapa demand_letter)", "To legal action (stage demand_letter)"));
    command->add_option("customer", args->customer, L("Id externo del cliente", "Customer external id"))->required();
    if (kind == "agency") {
      command->add_option("--agency", args->agency, L("Id de la agencia", "Agency id"))->required();
    }
    command->add_option("--invoice", args->invoices, L("Id externo de una factura (repetible; por omisión todas las pendientes)", "An invoice's external id (repeatable; default: every open one)"));
    command->add_option("--note", args->note, L("Texto libre", "Free text"));
    command->callback([&state, args, kind]() {
      Guarded(state, [&]() -> Status {
        auto context = CommandContext::Open(state.global);
        if (!context) return Fail(context.error());
        EscalateRequest request;
        request.customer_external_id = args->customer;
        request.kind = kind;
        if (kind == "agency") request.agency_id = args->agency;
        request.invoice_external_ids = args->invoices;
        request.note = args->note;
        auto id = Escalate(context->database(), context->tenant_id(), request,
                           context->Audit(fmt::format("cartera escalate {}", kind)));
        if (!id) return Fail(id.error());
        std::cout << fmt::format("{} {}\n", Tr(context->language(), "Caso abierto:", "Case opened:"), *id);
        return {};
      });
    });
  }
}

void AddCaseCommands(CLI::App& app, CliState& state) {
  CLI::App* escalation = app.add_subcommand("escalation", L("Casos de agencia y judiciales", "Agency and legal cases"));
  escalation->require_subcommand(1);

  struct ListArgs {
    std::string customer, kind, status, format = "table";
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = escalation->add_subcommand("list", L("Lista los casos", "List cases"));
  list->add_option("--customer", list_args->customer, L("Solo los de este cliente", "Only this customer's"));
  list->add_option("--kind", list_args->kind, "agency | legal")->check(OneOf({"agency", "legal"}));
  list->add_option("--status", list_args->status, "open | recalled | closed")->check(OneOf({"open", "recalled", "closed"}));
  list->add_option("--format", list_args->format, "table | json");
  list->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      CaseFilter filter;
      if (!list_args->customer.empty()) filter.customer_external_id = list_args->customer;
      if (!list_args->kind.empty()) filter.kind = list_args->kind;
      if (!list_args->status.empty()) filter.status = list_args->status;
      auto cases = ListCases(context->database(), context->tenant_id(), filter, context->language());
      if (!cases) return Fail(cases.error());
      const Language language = context->language();
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({std::string(Tr(language, "Caso", "Case")), std::string(Tr(language, "Cliente", "Customer")),
                       std::string(Tr(language, "Tipo", "Kind")), std::string(Tr(language, "Estado", "Status")),
                       std::string(Tr(language, "Etapa / agencia", "Stage / agency")),
                       std::string(Tr(language, "Facturas", "Invoices")), std::string(Tr(language, "Abierto", "Opened"))},
                      {true, false, false, false, false, true, false});
      for (const EscalationCase& item : *cases) {
        rows.push_back(CaseJson(item));
        table.AddRow({std::to_string(item.id), item.customer_external_id, item.kind, item.status,
                      item.kind == "agency" ? item.agency_name : item.stage, std::to_string(item.invoices.size()),
                      item.opened_at.substr(0, 10)});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });

  struct ShowArgs {
    int64_t id = 0;
    std::string format = "table";
  };
  auto show_args = std::make_shared<ShowArgs>();
  CLI::App* show = escalation->add_subcommand("show", L("Muestra un caso", "Show a case"));
  show->add_option("case", show_args->id, L("Id del caso", "Case id"))->required();
  show->add_option("--format", show_args->format, "table | json");
  show->callback([&state, show_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(show_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto item = LoadCase(context->database(), context->tenant_id(), show_args->id, context->language());
      if (!item) return Fail(item.error());
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(CaseJson(*item)) << '\n';
      } else {
        PrintCase(*item, context->language());
      }
      return {};
    });
  });

  auto recall_id = std::make_shared<int64_t>(0);
  CLI::App* recall = escalation->add_subcommand("recall", L("Retira un caso de la agencia (se vuelve a cobrar)", "Recall a case from the agency (collection resumes)"));
  recall->add_option("case", *recall_id, L("Id del caso", "Case id"))->required();
  recall->callback([&state, recall_id]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto ok = RecallCase(context->database(), context->tenant_id(), *recall_id,
                               context->Audit("cartera escalation recall"));
          !ok) {
        return ok;
      }
      std::cout << TrFormat(context->language(), "Caso {} retirado\n", "Case {} recalled\n", *recall_id);
      return {};
    });
  });

  struct RecoveryArgs {
    int64_t id = 0;
    std::string reference, date, amount, invoice;
  };
  auto recovery_args = std::make_shared<RecoveryArgs>();
  CLI::App* recovery = escalation->add_subcommand("recovery", L("Registra lo que la agencia recuperó (un pago, con su comisión)", "Record what the agency recovered (a payment, with its commission)"));
  recovery->add_option("case", recovery_args->id, L("Id del caso", "Case id"))->required();
  recovery->add_option("--reference", recovery_args->reference, L("Referencia de la agencia (única por caso)", "The agency's reference (unique per case)"))->required();
  recovery->add_option("--date", recovery_args->date, L("Fecha del recaudo (AAAA-MM-DD)", "Date collected (YYYY-MM-DD)"))->required();
  recovery->add_option("--amount", recovery_args->amount, L("Valor (decimal, en la moneda de la factura)", "Amount (decimal, in the invoice's currency)"))->required();
  recovery->add_option("--invoice", recovery_args->invoice, L("Id externo de la factura (si el caso tiene varias)", "The invoice's external id (when the case has several)"));
  recovery->callback([&state, recovery_args]() {
    Guarded(state, [&]() -> Status {
      auto date = Date::ParseIso(recovery_args->date);
      if (!date) return Fail(Error::BadInput(fmt::format("--date: {}", date.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      RecoveryRequest request{recovery_args->reference, *date, recovery_args->amount, recovery_args->invoice};
      auto recorded = RecordRecovery(context->database(), context->tenant_id(), recovery_args->id, request,
                                     context->Audit("cartera escalation recovery"));
      if (!recorded) return Fail(recorded.error());
      const Language language = context->language();
      std::cout << fmt::format("{} {} {} {} · {} {} % = {} {}\n", Tr(language, "Pago registrado:", "Payment recorded:"),
                               recorded->payment_external_id,
                               FormatMoneyForTable(recorded->amount_minor, recorded->currency, language),
                               recorded->currency,
                               Tr(language, "comisión", "commission"),
                               FormatBasisPoints(recorded->commission_basis_points),
                               FormatMoneyForTable(recorded->commission_minor, recorded->currency, language),
                               recorded->currency);
      return {};
    });
  });

  struct CaseFileArgs {
    int64_t id = 0;
    std::string format = "csv", output = "-";
  };
  auto file_args = std::make_shared<CaseFileArgs>();
  CLI::App* case_file = escalation->add_subcommand("case-file", L("Expediente del caso (CSV o PDF)", "The case file (CSV or PDF)"));
  case_file->add_option("case", file_args->id, L("Id del caso", "Case id"))->required();
  case_file->add_option("--format", file_args->format, "csv | pdf")->check(OneOf({"csv", "pdf"}));
  case_file->add_option("--output", file_args->output, L("Archivo (por omisión la salida estándar)", "File (default: stdout)"));
  case_file->callback([&state, file_args]() {
    Guarded(state, [&]() -> Status {
      if (file_args->format == "pdf") {
        if (auto ok = CheckBinaryOutput(file_args->output); !ok) return ok;
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (file_args->format == "pdf") {
        auto bytes = CaseFilePdf(context->database(), context->tenant_id(), file_args->id, context->clock().Now(),
                                 context->language());
        if (!bytes) return Fail(bytes.error());
        return WriteBinaryOutput(*bytes, file_args->output);
      }
      auto csv = CaseFileCsv(context->database(), context->tenant_id(), file_args->id, context->language());
      if (!csv) return Fail(csv.error());
      return WriteTextOutput(*csv, file_args->output);
    });
  });

  struct StageArgs {
    int64_t id = 0;
    std::string stage, note;
  };
  auto stage_args = std::make_shared<StageArgs>();
  CLI::App* stage = escalation->add_subcommand("stage", L("Pasa un caso judicial a la etapa siguiente o a closed", "Move a legal case to its next stage or to closed"));
  stage->add_option("case", stage_args->id, L("Id del caso", "Case id"))->required();
  stage->add_option("stage", stage_args->stage, "filed | judgment | enforcement | closed")->required();
  stage->add_option("--note", stage_args->note, L("Texto libre", "Free text"));
  stage->callback([&state, stage_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto ok = AdvanceLegalCase(context->database(), context->tenant_id(), stage_args->id, stage_args->stage,
                                     stage_args->note, context->Audit("cartera escalation stage"));
          !ok) {
        return ok;
      }
      std::cout << TrFormat(context->language(), "Caso {}: etapa {}\n", "Case {}: stage {}\n", stage_args->id,
                            stage_args->stage);
      return {};
    });
  });

  struct DocumentArgs {
    int64_t id = 0;
    std::string path, name, content_type = "application/pdf";
  };
  auto document_args = std::make_shared<DocumentArgs>();
  CLI::App* document = escalation->add_subcommand("document", L("Adjunta un documento a un caso judicial", "Attach a document to a legal case"));
  document->add_option("case", document_args->id, L("Id del caso", "Case id"))->required();
  document->add_option("file", document_args->path, L("Archivo", "File"))->required();
  document->add_option("--name", document_args->name, L("Nombre (por omisión el del archivo)", "Name (default: the file's)"));
  document->add_option("--content-type", document_args->content_type, L("Tipo (por omisión application/pdf)", "Type (default application/pdf)"));
  document->callback([&state, document_args]() {
    Guarded(state, [&]() -> Status {
      std::ifstream in(document_args->path, std::ios::binary);
      if (!in) {
        return Fail(Error::BadInput(fmt::format("file: {} '{}'", L("no se puede leer", "cannot read"), document_args->path)));
      }
      std::string bytes;
      bytes.assign(std::istreambuf_iterator<char>(in), {});
      if (bytes.size() > kLegalDocumentBytesMax) bytes.resize(kLegalDocumentBytesMax + 1);
      std::string name = document_args->name;
      if (name.empty()) {
        const size_t slash = document_args->path.find_last_of('/');
        name = slash == std::string::npos ? document_args->path : document_args->path.substr(slash + 1);
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto id = AddLegalDocument(context->database(), context->tenant_id(), document_args->id, name,
                                 document_args->content_type, bytes, context->Audit("cartera escalation document"));
      if (!id) return Fail(id.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Documento adjuntado:", "Document attached:"), *id);
      return {};
    });
  });

  struct CostArgs {
    int64_t id = 0;
    std::string date, amount, currency, description;
  };
  auto cost_args = std::make_shared<CostArgs>();
  CLI::App* cost = escalation->add_subcommand("cost", L("Registra un costo de un caso judicial", "Record a cost of a legal case"));
  cost->add_option("case", cost_args->id, L("Id del caso", "Case id"))->required();
  cost->add_option("--date", cost_args->date, L("Fecha (AAAA-MM-DD)", "Date (YYYY-MM-DD)"))->required();
  cost->add_option("--amount", cost_args->amount, L("Valor (decimal)", "Amount (decimal)"))->required();
  cost->add_option("--currency", cost_args->currency, L("Moneda (ISO 4217)", "Currency (ISO 4217)"))->required();
  cost->add_option("--description", cost_args->description, L("Qué se pagó", "What was paid"))->required();
  cost->callback([&state, cost_args]() {
    Guarded(state, [&]() -> Status {
      auto date = Date::ParseIso(cost_args->date);
      if (!date) return Fail(Error::BadInput(fmt::format("--date: {}", date.error().message)));
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto id = AddLegalCost(context->database(), context->tenant_id(), cost_args->id, *date, cost_args->amount,
                             cost_args->currency, cost_args->description, context->Audit("cartera escalation cost"));
      if (!id) return Fail(id.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Costo registrado:", "Cost recorded:"), *id);
      return {};
    });
  });
}

void AddWriteOffCommands(CLI::App& app, CliState& state) {
  CLI::App* write_off = app.add_subcommand("write-off", L("Castigo de cartera con aprobación", "Write-offs with approval"));
  write_off->require_subcommand(1);
  struct ProposeArgs {
    std::string customer, reason;
    std::vector<std::string> invoices;
  };
  auto propose_args = std::make_shared<ProposeArgs>();
  CLI::App* propose = write_off->add_subcommand("propose", L("Propone castigar facturas (otra persona aprueba)", "Propose writing off invoices (someone else approves)"));
  propose->add_option("customer", propose_args->customer, L("Id externo del cliente", "Customer external id"))->required();
  propose->add_option("--invoice", propose_args->invoices, L("Id externo de una factura (repetible; por omisión todas las pendientes)", "An invoice's external id (repeatable; default: every open one)"));
  propose->add_option("--reason", propose_args->reason, L("Motivo", "Reason"))->required();
  propose->callback([&state, propose_args]() {
    Guarded(state, [&]() -> Status {
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto id = ProposeWriteOff(context->database(), context->tenant_id(), propose_args->customer,
                                propose_args->invoices, propose_args->reason,
                                context->Audit("cartera write-off propose"));
      if (!id) return Fail(id.error());
      std::cout << fmt::format("{} {}\n", Tr(context->language(), "Castigo propuesto:", "Write-off proposed:"), *id);
      return {};
    });
  });
  for (const bool approve : {true, false}) {
    struct DecideArgs {
      int64_t id = 0;
      std::string note;
    };
    auto args = std::make_shared<DecideArgs>();
    CLI::App* decide = write_off->add_subcommand(
        approve ? "approve" : "reject",
        approve ? L("Aprueba un castigo: crea las notas crédito", "Approve a write-off: posts the credit notes")
                : L("Rechaza un castigo", "Reject a write-off"));
    decide->add_option("id", args->id, L("Id del castigo", "Write-off id"))->required();
    decide->add_option("--note", args->note, L("Texto libre", "Free text"));
    decide->callback([&state, args, approve]() {
      Guarded(state, [&]() -> Status {
        auto context = CommandContext::Open(state.global);
        if (!context) return Fail(context.error());
        if (auto ok = DecideWriteOff(context->database(), context->tenant_id(), args->id, approve, args->note,
                                     context->Audit(approve ? "cartera write-off approve" : "cartera write-off reject"));
            !ok) {
          return ok;
        }
        std::cout << (approve ? TrFormat(context->language(), "Castigo {} aprobado\n", "Write-off {} approved\n", args->id)
                              : TrFormat(context->language(), "Castigo {} rechazado\n", "Write-off {} rejected\n", args->id));
        return {};
      });
    });
  }
  struct ListArgs {
    std::string status, format = "table";
  };
  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = write_off->add_subcommand("list", L("Lista los castigos", "List write-offs"));
  list->add_option("--status", list_args->status, "proposed | approved | rejected")
      ->check(OneOf({"proposed", "approved", "rejected"}));
  list->add_option("--format", list_args->format, "table | json");
  list->callback([&state, list_args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(list_args->format, false);
      if (!format) return Fail(format.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto items = ListWriteOffs(context->database(), context->tenant_id(),
                                 list_args->status.empty() ? std::nullopt : std::optional(list_args->status));
      if (!items) return Fail(items.error());
      const Language language = context->language();
      nlohmann::json rows = nlohmann::json::array();
      TextTable table({"Id", std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "Estado", "Status")),
                       std::string(Tr(language, "Facturas", "Invoices")), std::string(Tr(language, "Propuso", "Proposed by")),
                       std::string(Tr(language, "Decidió", "Decided by")), std::string(Tr(language, "Motivo", "Reason"))},
                      {true, false, false, true, false, false, false});
      for (const WriteOff& item : *items) {
        rows.push_back(WriteOffJson(item));
        table.AddRow({std::to_string(item.id), item.customer_external_id, item.status,
                      std::to_string(item.invoices.size()), item.proposed_by, item.decided_by, item.reason});
      }
      if (*format == OutputFormat::kJson) {
        std::cout << DumpJson(rows) << '\n';
      } else {
        table.Print(std::cout);
      }
      return {};
    });
  });
  struct ExportArgs {
    std::string from, to, output = "-";
  };
  auto export_args = std::make_shared<ExportArgs>();
  CLI::App* export_command = write_off->add_subcommand("export", L("CSV de los castigos aprobados para el contador", "CSV of approved write-offs for the accountant"));
  export_command->add_option("--from", export_args->from, L("Aprobados desde (AAAA-MM-DD)", "Approved from (YYYY-MM-DD)"));
  export_command->add_option("--to", export_args->to, L("Aprobados hasta (AAAA-MM-DD)", "Approved up to (YYYY-MM-DD)"));
  export_command->add_option("--output", export_args->output, L("Archivo (por omisión la salida estándar)", "File (default: stdout)"));
  export_command->callback([&state, export_args]() {
    Guarded(state, [&]() -> Status {
      auto from = ParseOptionalDate(export_args->from, "--from");
      if (!from) return Fail(from.error());
      auto to = ParseOptionalDate(export_args->to, "--to");
      if (!to) return Fail(to.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto csv = WriteOffExportCsv(context->database(), context->tenant_id(), *from, *to);
      if (!csv) return Fail(csv.error());
      return WriteTextOutput(*csv, export_args->output);
    });
  });
}

void AddBureauCommands(CLI::App& app, CliState& state) {
  CLI::App* bureau = app.add_subcommand("bureau", L("Reporte a centrales de riesgo: avisos y fechas", "Credit-bureau reporting: notices and dates"));
  bureau->require_subcommand(1);
  struct ListArgs {
    std::string as_of, customer, status, format = "table", output = "-";
  };
  auto args = std::make_shared<ListArgs>();
  CLI::App* list = bureau->add_subcommand("list", L("Clientes en mora con sus avisos, la fecha más temprana de reporte y la de retiro del dato negativo", "Customers in default with their notices, the earliest report date and the negative data's removal date"));
  list->add_option("--as-of", args->as_of, L("Fecha (AAAA-MM-DD; por omisión hoy)", "Date (YYYY-MM-DD; default today)"));
  list->add_option("--customer", args->customer, L("Solo este cliente", "Only this customer"));
  list->add_option("--status", args->status, "reportable | waiting | notice_needed | paid")
      ->check(OneOf({"reportable", "waiting", "notice_needed", "paid"}));
  list->add_option("--format", args->format, "table | json | csv");
  list->add_option("--output", args->output, L("Archivo (por omisión la salida estándar)", "File (default: stdout)"));
  list->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      auto format = ParseFormat(args->format, true);
      if (!format) return Fail(format.error());
      auto as_of = ParseOptionalDate(args->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      BureauQuery query;
      query.as_of = *as_of ? **as_of : DateIn(context->tenant_time_zone(), context->clock().Now());
      if (!args->customer.empty()) query.customer_external_id = args->customer;
      if (!args->status.empty()) query.status = args->status;
      auto entries = BureauReportList(context->database(), context->tenant_id(), query, context->language());
      if (!entries) return Fail(entries.error());
      if (*format == OutputFormat::kCsv) return WriteTextOutput(BureauCsv(*entries), args->output);
      if (*format == OutputFormat::kJson) {
        nlohmann::json rows = nlohmann::json::array();
        for (const BureauEntry& entry : *entries) rows.push_back(BureauEntryJson(entry));
        return WriteTextOutput(DumpJson(rows) + "\n", args->output);
      }
      const Language language = context->language();
      TextTable table({std::string(Tr(language, "Cliente", "Customer")), std::string(Tr(language, "En mora", "Overdue")),
                       std::string(Tr(language, "Días", "Days")), std::string(Tr(language, "Avisos", "Notices")),
                       std::string(Tr(language, "Reportar desde", "Report from")),
                       std::string(Tr(language, "Retirar el", "Remove by")), std::string(Tr(language, "Estado", "Status"))},
                      {false, true, true, false, false, false, false});
      for (const BureauEntry& entry : *entries) {
        std::string notices;
        for (Date date : entry.notices) notices += (notices.empty() ? "" : " ") + date.ToIso();
        notices += fmt::format(" ({}/{})", entry.notices.size(), entry.notices_required);
        table.AddRow({entry.customer_external_id,
                      FormatMoneyForTable(entry.overdue_minor, entry.currency, language) + " " + entry.currency,
                      std::to_string(entry.days_in_default), notices,
                      entry.earliest_report_date ? entry.earliest_report_date->ToIso() : "-",
                      entry.removal_date ? entry.removal_date->ToIso() : "-", entry.status});
      }
      std::ostringstream out;
      table.Print(out);
      return WriteTextOutput(out.str(), args->output);
    });
  });
}

}  // namespace

void AddEscalationCommands(CLI::App& app, CliState& state) {
  AddAgencyCommands(app, state);
  AddEscalateCommands(app, state);
  AddCaseCommands(app, state);
  AddWriteOffCommands(app, state);
  AddBureauCommands(app, state);
}

}  // namespace cartera
