// company set/show and letter: the company profile that letterheads,
// payment instructions and signatures come from, and a collection letter as
// a PDF. The statement PDF is `statement --format pdf` (command_reports.cc).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cli/commands.h"
#include "delivery/message_context.h"
#include "pdf/customer_documents.h"
#include "collection/run.h"
#include "delivery/company_settings.h"
#include "store/company_profile.h"
#include "templates/message_renderer.h"

namespace cartera {
namespace {

void AddCompanyCommands(CLI::App& app, CliState& state) {
  CLI::App* company = app.add_subcommand(
      "company", L("La empresa en cartas y estados de cuenta: membrete e instrucciones de pago", "The company on letters and statements: letterhead and payment instructions (membrete)"));
  company->require_subcommand(1);
  struct SetArgs {
    std::string name, tax_id, address, city, phone, email, payment_instructions, collector_name, daily_run_time;
  };
  auto args = std::make_shared<SetArgs>();
  CLI::App* set = company->add_subcommand("set", L("Cambia el perfil de la empresa; una opción vacía lo borra", "Change the company profile; an option given empty clears it"));
  // Options left out keep their value, so each is checked by count().
  struct Given {
    CLI::Option* option;
    const std::string* value;
    std::optional<std::string> CompanyProfileChange::*field;
  };
  std::vector<Given> given;
  auto option = [&](const char* name, std::string& value, std::optional<std::string> CompanyProfileChange::*field,
                    const char* help) {
    given.push_back({set->add_option(name, value, help), &value, field});
  };
  option("--name", args->name, &CompanyProfileChange::name, "Company name (letterhead, and the company messages name)");
  option("--tax-id", args->tax_id, &CompanyProfileChange::tax_id,
         "Tax id as printed, e.g. 900.123.456-7 (NIT, RFC, RUT...)");
  option("--address", args->address, &CompanyProfileChange::address, "Postal address (may span lines)");
  option("--city", args->city, &CompanyProfileChange::city,
         "City: the place in a letter's date line (Bogotá D.C., 20 de noviembre de 2026)");
  option("--phone", args->phone, &CompanyProfileChange::phone, "Phone for debtors");
  option("--email", args->email, &CompanyProfileChange::email, "Email for debtors");
  option("--payment-instructions", args->payment_instructions, &CompanyProfileChange::payment_instructions,
         "How debtors pay: bank, account, reference (may span lines; instrucciones de pago)");
  option("--collector-name", args->collector_name, &CompanyProfileChange::collector_name,
         "Who signs messages and letters, a person or a team (firma); empty: \"Equipo de cartera\" / "
         "\"Accounts Receivable Team\"");
  // The plan for a day is made for this local time (docs/collection.md).
  CLI::Option* run_time = set->add_option(
      "--daily-run-time", args->daily_run_time,
      L("Hora local para la que se planea cada día, HH:MM (por omisión 08:00)",
        "Local time each day is planned for, HH:MM (default 08:00)"));
  // `args` owns the strings `given` points to.
  set->callback([&state, args, given, run_time]() {
    Guarded(state, [&]() -> Status {
      CompanyProfileChange change;
      bool any = run_time->count() > 0;
      if (any) {
        if (auto parsed = ParseRunTime(args->daily_run_time); !parsed) {
          return Fail(Error::BadInput(TrFormat(CliLanguage(), "--daily-run-time: '{}' no es una hora del día (HH:MM, 00:00-23:59)",
                                               "--daily-run-time: '{}' is not a time of day (HH:MM, 00:00-23:59)",
                                               args->daily_run_time)));
        }
      }
      for (const Given& item : given) {
        if (item.option->count() == 0) continue;
        change.*item.field = *item.value;
        any = true;
      }
      if (!any) {
        return Fail(Error::BadInput(
            "nothing to change: give --name, --tax-id, --address, --city, --phone, --email, --payment-instructions "
            "--collector-name or --daily-run-time"));
      }
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      delivery::CompanySettingsChange settings_change;
      settings_change.profile = change;
      if (run_time->count() > 0) settings_change.daily_run_time = args->daily_run_time;
      auto settings = delivery::UpdateCompanySettings(context->database(), context->tenant_id(), settings_change,
                                                      context->Audit("cartera company set"));
      if (!settings) return Fail(settings.error());
      const CompanyProfile* profile = &settings->profile;
      if (!context->quiet()) {
        std::cout << Tr(context->language(), "Perfil de la empresa guardado: ", "Company profile saved: ")
                  << profile->name << '\n';
      }
      return {};
    });
  });

  auto format = std::make_shared<std::string>("table");
  CLI::App* show = company->add_subcommand("show", L("El perfil de la empresa que imprimen cartas y estados de cuenta", "The company profile letters and statements print"));
  show->add_option("--format", *format, "table | json");
  show->callback([&state, format]() {
    Guarded(state, [&]() -> Status {
      auto parsed = ParseFormat(*format, false);
      if (!parsed) return Fail(parsed.error());
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      auto settings = delivery::LoadCompanySettings(context->database(), context->tenant_id());
      if (!settings) return Fail(settings.error());
      const CompanyProfile* profile = &settings->profile;
      const std::string& paper = settings->default_paper;
      const std::string& daily_run_time = settings->daily_run_time;
      if (*parsed == OutputFormat::kJson) {
        std::cout << DumpJson(delivery::CompanySettingsJson(*settings)) << '\n';
        return {};
      }
      const Language language = context->language();
      TextTable table({std::string(Tr(language, "Campo", "Field")), std::string(Tr(language, "Valor", "Value"))});
      auto row = [&](std::string_view spanish, std::string_view english, const std::string& value) {
        table.AddRow({std::string(Tr(language, spanish, english)), value.empty() ? "-" : value});
      };
      row("Empresa", "Company", profile->name);
      row("País", "Country", profile->country);
      row("Id. tributaria", "Tax ID", profile->tax_id);
      row("Dirección", "Address", profile->address);
      row("Ciudad", "City", profile->city);
      row("Teléfono", "Phone", profile->phone);
      row("Correo", "Email", profile->email);
      row("Instrucciones de pago", "Payment instructions", profile->payment_instructions);
      row("Firma de los mensajes", "Messages signed by",
          profile->collector_name.empty() ? fmt::format("{}: {} / {}", Tr(language, "sin definir", "not set"),
                                                        templates::DefaultCollectorName(templates::Language::kEs),
                                                        templates::DefaultCollectorName(templates::Language::kEn))
                                          : profile->collector_name);
      row("Papel por defecto", "Default paper", paper);
      row("Hora de la corrida diaria", "Daily run time", daily_run_time);
      table.Print(std::cout);
      return {};
    });
  });
}

void AddLetterCommand(CLI::App& app, CliState& state) {
  struct Args {
    std::string customer, stage, tone = std::string(templates::kDefaultTone), as_of, paper, output = "-";
  };
  auto args = std::make_shared<Args>();
  CLI::App* letter = app.add_subcommand("letter", L("Una carta de cobro en PDF para un cliente", "A collection letter for one customer as a PDF (carta de cobro)"));
  letter->add_option("customer", args->customer, L("El id externo del cliente", "The customer's external id"))->required();
  letter->add_option("--stage", args->stage,
                     L("before_due, due_today, overdue_1, overdue_7, overdue_15, overdue_30, overdue_60, overdue_90, legal, broken_promise (por omisión: según los días de mora)", "before_due, due_today, overdue_1, overdue_7, overdue_15, overdue_30, overdue_60, overdue_90, legal, broken_promise (default: by the most days past due)"));
  letter->add_option("--tone", args->tone, L("Tono del guion (por omisión cordial)", "Tone of the script (default cordial)"));
  letter->add_option("--as-of", args->as_of,
                     L("Fecha de la carta y de los días de mora (por omisión: hoy en la zona del cliente)", "Date of the letter and of days past due (default: today in the customer's zone)"));
  letter->add_option("--paper", args->paper, L("a4 | letter (por omisión: el papel del país de la empresa)", "a4 | letter (default: the company country's paper)"))
      ->check(CLI::IsMember({"a4", "letter"}));
  letter->add_option("--output", args->output, L("Archivo PDF a escribir; - para la salida estándar (nunca una terminal)", "PDF file to write; - for stdout (never a terminal)"));
  letter->callback([&state, args]() {
    Guarded(state, [&]() -> Status {
      std::optional<templates::Stage> stage;
      if (!args->stage.empty()) {
        stage = templates::ParseStage(args->stage);
        if (!stage) return Fail(Error::BadInput(TrFormat(CliLanguage(), "etapa desconocida '{}'", "unknown stage '{}'", args->stage)));
      }
      auto as_of = ParseOptionalDate(args->as_of, "--as-of");
      if (!as_of) return Fail(as_of.error());
      if (auto ok = CheckBinaryOutput(args->output); !ok) return ok;
      auto context = CommandContext::Open(state.global);
      if (!context) return Fail(context.error());
      if (auto known = RequireCustomer(*context, args->customer); !known) return known;
      auto customer = pdf::FindCustomerId(context->database(), context->tenant_id(), args->customer);
      if (!customer) return Fail(customer.error());
      auto message = delivery::BuildMessageContext(context->database(), context->tenant_id(), *customer, {}, *as_of,
                                                   context->clock().Now());
      if (!message) return Fail(message.error());
      if (!stage) {
        int32_t days = std::numeric_limits<int32_t>::min();
        for (const templates::InvoiceLine& invoice : message->invoices) days = std::max(days, invoice.days_late);
        stage = pdf::StageForDaysPastDue(days);
      }
      auto bytes =
          pdf::LetterPdfForCustomer(context->database(), context->tenant_id(), *customer, *stage, args->tone, *message,
                                    args->paper.empty() ? std::nullopt : pdf::ParsePaper(args->paper));
      if (!bytes) return Fail(bytes.error());
      if (auto written = WriteBinaryOutput(*bytes, args->output); !written) return written;
      if (!context->quiet() && args->output != "-") {
        std::cout << fmt::format("{} {} ({}): {}\n", Tr(context->language(), "Carta", "Letter"),
                                 templates::StageKey(*stage), args->customer, args->output);
      }
      return {};
    });
  });
}

}  // namespace

Status CheckBinaryOutput(const std::string& path) {
  if (path == "-" && isatty(STDOUT_FILENO) != 0) {
    return Fail(Error::BadInput(L("un PDF no es para la terminal: use --output ARCHIVO o redirija la salida", "a PDF is not for the terminal: give --output FILE, or redirect stdout")));
  }
  return {};
}

Status WriteBinaryOutput(const std::string& bytes, const std::string& path) {
  if (auto ok = CheckBinaryOutput(path); !ok) return ok;
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return std::cout ? Status{} : Fail(Error::Internal("cannot write the PDF to stdout"));
  }
  // Written beside the target and renamed, so a reader never sees half a PDF.
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(Error::BadInput(fmt::format("cannot write '{}': {}", path, std::strerror(errno))));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(partial.c_str());
      return Fail(Error::Internal(fmt::format("cannot write '{}'", path)));
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(partial.c_str());
    return Fail(Error::BadInput(fmt::format("cannot write '{}': {}", path, reason)));
  }
  return {};
}

void AddDocumentCommands(CLI::App& app, CliState& state) {
  AddCompanyCommands(app, state);
  AddLetterCommand(app, state);
}

}  // namespace cartera
