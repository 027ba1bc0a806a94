// Each subcommand registers itself on the app; the callback parses nothing
// itself beyond its options, calls one use case and maps the result.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"
#include "core/date.h"

namespace cartera {

struct CliState {
  GlobalOptions global;
  int exit_code = 0;
};

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

// The whole of a small text file (strategies, templates).
Result<std::string> ReadTextFile(const std::string& path);

// Prints the portfolio overview (used by `summary` and at the end of `demo`).
int PrintSummary(CommandContext& context, std::ostream& out);

}  // namespace cartera
