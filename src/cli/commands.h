// Each subcommand registers itself on the app; the callback parses nothing
// itself beyond its options, calls one use case and maps the result.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/arguments.h"
#include "cli/context.h"
#include "cli/labels.h"
#include "core/date.h"

namespace cartera {

struct CliState {
  GlobalOptions global;
  int exit_code = 0;
};

void AddInitCommand(CLI::App& app, CliState& state);
void AddImportCommand(CLI::App& app, CliState& state);
void AddAgingCommand(CLI::App& app, CliState& state);
void AddStatementCommand(CLI::App& app, CliState& state);
void AddListCommands(CLI::App& app, CliState& state);
void AddDemoCommand(CLI::App& app, CliState& state);
void AddCalendarCommand(CLI::App& app, CliState& state);
void AddSummaryCommand(CLI::App& app, CliState& state);
void AddAuditCommand(CLI::App& app, CliState& state);
void AddCollectionCommands(CLI::App& app, CliState& state);
void AddRecordCommands(CLI::App& app, CliState& state);
void AddTemplateCommands(CLI::App& app, CliState& state);
void AddDeliveryCommands(CLI::App& app, CliState& state);
void AddChannelCommands(CLI::App& app, CliState& state);
void AddWebhookCommand(CLI::App& app, CliState& state);
void AddBouncesCommand(CLI::App& app, CliState& state);
void AddDocumentCommands(CLI::App& app, CliState& state);
void AddWebhookEndpointCommands(CLI::App& app, CliState& state);
void AddServeCommand(CLI::App& app, CliState& state);
void AddAccessCommands(CLI::App& app, CliState& state);
void AddTenantCommands(CLI::App& app, CliState& state);
void AddCustomerCommands(CLI::App& app, CliState& state);
void AddCreditCommands(CLI::App& app, CliState& state);
void AddChargesCommands(CLI::App& app, CliState& state);
void AddEscalationCommands(CLI::App& app, CliState& state);
void AddPlanCommands(CLI::App& app, CliState& state);
// plan limits|approvals|approve|reject; after AddPlanCommands (joins its "plan").
void AddPlanLimitCommands(CLI::App& app, CliState& state);
void AddDisputeCommands(CLI::App& app, CliState& state);  // dispute open|resolve|list, disputes reasons|report
void AddOfferCommands(CLI::App& app, CliState& state);  // offer create|approve|reject|withdraw|accept|show|limits, offers
void AddPromisesCommands(CLI::App& app, CliState& state);  // promises report (docs/promises.md)

// Shared option parsing.
Result<OutputFormat> ParseFormat(const std::string& text, bool allow_csv = true);
Result<std::optional<Date>> ParseOptionalDate(const std::string& text, std::string_view option);

// Runs a command body and maps a failure to the exit code and message.
template <typename Body>
void Guarded(CliState& state, Body body) {
  if (auto done = body(); !done) state.exit_code = ReportError(done.error());
}

// A binary document (a PDF) goes to a file, or to stdout with "-" but never
// to a terminal (kBadInput). The file appears whole or not at all.
Status CheckBinaryOutput(const std::string& path);
Status WriteBinaryOutput(const std::string& bytes, const std::string& path);

// kNotFound, worded in the context's language, unless the customer exists.
Status RequireCustomer(CommandContext& context, const std::string& customer_external_id);

// The whole of a small text file (strategies, templates).
Result<std::string> ReadTextFile(const std::string& path);

// Prints the portfolio overview (used by `summary` and at the end of `demo`).
int PrintSummary(CommandContext& context, const GlobalOptions& global, std::ostream& out);

// How to name this program in a hint a person pastes: "cartera" when that
// is what PATH finds, else the program's absolute path.
std::string ProgramForHints();
// `text` as one shell word (single-quoted when it needs to be).
std::string ShellQuoted(std::string_view text);
// A database URL for printing in a hint: without its password
// (postgresql://user:secret@host -> postgresql://user@host), and a plain file
// path made absolute.
std::string RedactedDatabaseUrl(const std::string& url);

}  // namespace cartera
