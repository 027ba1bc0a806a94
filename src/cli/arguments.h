// The command line before and around CLI11: the reader's language (known
// before the options are parsed, so --help and option errors can use it),
// the check that every argument is text we can store and print, and option
// errors worded in that language.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/language.h"

namespace cartera {

// --lang es|en (or --lang=..) anywhere on the command line, else the
// environment (CARTERA_LANG, LANG).
Language LanguageFromArguments(int argc, const char* const* argv);

// The language of --help texts and option errors, fixed once in main().
void SetCliLanguage(Language language);
Language CliLanguage();
// The text for the CLI's language: L("Clientes", "Customers").
std::string L(std::string_view spanish, std::string_view english);

// Why an argument is refused (not UTF-8, or a control character in it), in
// the language; nullopt when every argument is acceptable.
std::optional<std::string> CheckArguments(int argc, const char* const* argv, Language language);

// --help in the CLI's language: CLI11's labels and group titles, over the
// whole tree of commands. Call once every command is registered.
void LocaliseHelp(CLI::App& app);

// A CLI11 parse error as a sentence in the language.
std::string ParseErrorMessage(const CLI::ParseError& error, Language language);

// JSON for people's terminals and files: two-space indent, and any stored
// text that is somehow not UTF-8 replaced (U+FFFD) instead of throwing.
std::string DumpJson(const nlohmann::json& value);

// Option checks with messages in the CLI's language.
CLI::Validator NotNegative();       // --limit
CLI::Validator PortNumber();        // 1..65535
CLI::Validator OneOf(std::vector<std::string> values);  // like CLI::IsMember, worded
CLI::Validator CountryCode();       // ISO 3166 alpha-2: two capital letters

}  // namespace cartera
