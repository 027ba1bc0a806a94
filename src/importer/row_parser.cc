#include "importer/row_parser.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/contact_address.h"
#include "core/currency.h"
#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/text_check.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool IsSpanishSpeaking(std::string_view country) {
  static constexpr std::string_view kCountries =
      "AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE";
  for (size_t i = 0; i + 2 <= kCountries.size(); i += 3) {
    if (kCountries.substr(i, 2) == country) return true;
  }
  return false;
}

}  // namespace

Result<RowParser> RowParser::Create(const EntitySpec& spec, const std::vector<std::string>& header,
                                    const ImportOptions& options) {
  const Language lang = options.language;
  RowParser parser(spec, options);
  parser.header_size_ = header.size();
  std::unordered_map<std::string, int> positions;
  for (size_t i = 0; i < header.size(); ++i) {
    if (auto problem = FindTextProblem(Trim(header[i]))) {
      return Fail(Error::BadInput(TrFormat(lang, "{}:1: el nombre de la columna {} {}: '{}'",
                                           "{}:1: the name of column {} {}: '{}'", options.path, i + 1,
                                           DescribeTextProblem(*problem, lang), EscapeForDisplay(header[i]))));
    }
    std::string name = AsciiLower(Trim(header[i]));
    if (name.empty()) {
      return Fail(Error::BadInput(
          TrFormat(lang, "{}:1: la columna {} no tiene nombre", "{}:1: column {} has no name", options.path, i + 1)));
    }
    if (!positions.emplace(name, static_cast<int>(i)).second) {
      return Fail(Error::BadInput(TrFormat(lang, "{}:1: la columna '{}' aparece dos veces",
                                           "{}:1: column '{}' appears twice", options.path, name)));
    }
  }
  std::vector<bool> used(header.size(), false);
  for (const FieldSpec& field : spec.fields) {
    auto found = positions.find(std::string(field.header));
    if (found == positions.end()) {
      if (field.required) {
        return Fail(Error::BadInput(
            TrFormat(lang, "{}:1: falta la columna obligatoria '{}' (la importación de {} necesita: {})",
                     "{}:1: missing required column '{}' (the {} import needs: {})", options.path, field.header,
                     spec.table, [&] {
                       std::string names;
                       for (const FieldSpec& f : spec.fields) {
                         if (!f.required) continue;
                         names += names.empty() ? "" : ", ";
                         names += f.header;
                       }
                       return names;
                     }())));
      }
      parser.field_to_column_.push_back(-1);
      continue;
    }
    parser.field_to_column_.push_back(found->second);
    used[static_cast<size_t>(found->second)] = true;
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!used[i]) parser.extra_columns_.emplace_back(static_cast<int>(i), std::string(Trim(header[i])));
  }
  return parser;
}

bool RowParser::needs_customers() const {
  return std::any_of(spec_->fields.begin(), spec_->fields.end(),
                     [](const FieldSpec& field) { return field.kind == FieldKind::kCustomerRef; });
}

bool RowParser::HasColumn(std::string_view column) const {
  if (column == "attributes") return has_attributes();
  if (column == "invoice_id") column = "invoice_external_id";
  for (size_t i = 0; i < spec_->fields.size(); ++i) {
    if (spec_->fields[i].column == column) return field_to_column_[i] >= 0;
  }
  return false;
}

std::vector<std::string> RowParser::StageColumns() const {
  std::vector<std::string> columns{"line"};
  for (const FieldSpec& field : spec_->fields) columns.emplace_back(field.column);
  columns.emplace_back("attributes");
  return columns;
}

std::string RowParser::StageTableDefinition() const {
  std::string definition = "line BIGINT";
  bool has_invoice_reference = false;
  for (const FieldSpec& field : spec_->fields) {
    definition += fmt::format(", {} {}", field.column, field.sql_type);
    has_invoice_reference |= field.kind == FieldKind::kInvoiceRef;
  }
  definition += ", attributes TEXT, existing_id BIGINT, previous_customer_id BIGINT, changed INTEGER DEFAULT 0";
  if (has_invoice_reference) {
    definition += ", invoice_id BIGINT, invoice_customer_id BIGINT, invoice_currency TEXT, invoice_issue_date DATE";
  }
  return definition;
}

bool RowParser::Parse(int64_t line, const std::vector<std::string_view>& fields,
                      std::vector<std::optional<std::string>>& values, RowErrors& errors) const {
  const Language lang = options_->language;
  const int64_t errors_before = errors.total;
  if (fields.size() != header_size_) {
    errors.Add(line, TrFormat(lang, "se esperaban {} campos como en el encabezado y hay {}",
                              "expected {} fields as in the header, found {}", header_size_, fields.size()));
    return false;
  }
  const std::vector<FieldSpec>& specs = spec_->fields;
  values.assign(specs.size() + 2, std::nullopt);
  values[0] = std::to_string(line);
  auto field_error = [&](const FieldSpec& spec, std::string problem) {
    errors.Add(line, TrFormat(lang, "campo '{}': {}", "field '{}': {}", spec.header, problem));
  };

  // Pass 1: everything but amounts, which need the row's currency.
  std::optional<std::string> country, currency;
  for (size_t i = 0; i < specs.size(); ++i) {
    const FieldSpec& spec = specs[i];
    const int position = field_to_column_[i];
    const std::string_view text = position < 0 ? std::string_view() : Trim(fields[static_cast<size_t>(position)]);
    std::optional<std::string>& value = values[i + 1];
    if (text.empty()) {
      if (spec.required) field_error(spec, std::string(Tr(lang, "es obligatorio", "is required")));
      continue;
    }
    // Every field, whatever its kind: what a terminal, CSV or SMTP server
    // would obey never gets in, and the message quotes it escaped.
    if (auto problem = FindTextProblem(text)) {
      field_error(spec, fmt::format("{}: '{}'", DescribeTextProblem(*problem, lang), EscapeForDisplay(text)));
      continue;
    }
    switch (spec.kind) {
      case FieldKind::kText:
        value = std::string(text);
        break;
      case FieldKind::kExternalId:
        if (text.size() > 200) {
          field_error(spec, std::string(Tr(lang, "tiene más de 200 caracteres", "is longer than 200 characters")));
        } else {
          value = std::string(text);
        }
        break;
      case FieldKind::kDate: {
        auto date = options_->date_format == DateFormat::kIso ? Date::ParseIso(text) : Date::ParseDayMonthYear(text);
        if (!date) {
          field_error(spec, lang == Language::kEnglish
                                ? date.error().message
                                : TrFormat(lang,
                                           options_->date_format == DateFormat::kIso
                                               ? "'{}' no es una fecha (AAAA-MM-DD, años 1900 a 2199)"
                                               : "'{}' no es una fecha (DD/MM/AAAA, años 1900 a 2199)",
                                           "", text));
        } else if (options_->date_format == DateFormat::kIso && text.size() == 10) {
          value = std::string(text);  // valid ISO text is already canonical
        } else {
          value = date->ToIso();
        }
        break;
      }
      case FieldKind::kCurrency: {
        if (text == last_currency_text_) {
          value = currency = std::string(last_currency_->code());
          break;
        }
        std::string code = Upper(text);
        last_currency_ = Currency::FromCode(code);
        if (!last_currency_) {
          last_currency_text_.clear();
          field_error(spec, TrFormat(lang, "'{}' no es un código de moneda ISO 4217",
                                     "'{}' is not an ISO 4217 currency code", text));
        } else {
          last_currency_text_ = text;
          value = currency = code;
        }
        break;
      }
      case FieldKind::kAmount:
        break;  // pass 2
      case FieldKind::kCountry: {
        std::string code = Upper(text);
        if (!IsCountryCode(code)) {
          field_error(spec, TrFormat(lang, "'{}' no es un código de país ISO 3166 alfa-2",
                                     "'{}' is not an ISO 3166 alpha-2 country code", text));
        } else {
          value = country = code;
        }
        break;
      }
      case FieldKind::kTimeZone:
        if (!IsKnownTimeZone(text)) {
          field_error(spec, TrFormat(lang, "'{}' no es una zona horaria IANA (p. ej. America/Bogota)",
                                     "'{}' is not an IANA time zone (e.g. America/Bogota)", text));
        } else {
          value = std::string(text);
        }
        break;
      case FieldKind::kLanguage: {
        std::string language = AsciiLower(text.substr(0, 2));
        if ((language != "es" && language != "en") || (text.size() > 2 && text[2] != '-' && text[2] != '_')) {
          field_error(spec, TrFormat(lang, "'{}' no es un idioma admitido (es o en)",
                                     "'{}' is not a supported language (es or en)", text));
        } else {
          value = language;
        }
        break;
      }
      case FieldKind::kCustomerKind: {
        std::string kind = AsciiLower(text);
        if (kind == "empresa") kind = "company";
        if (kind == "persona") kind = "person";
        if (kind != "company" && kind != "person") {
          field_error(spec, TrFormat(lang, "'{}' no es company (empresa) ni person (persona)",
                                     "'{}' is not company or person", text));
        } else {
          value = kind;
        }
        break;
      }
      case FieldKind::kEmail:
        if (auto problem = EmailAddressProblem(text, lang)) {
          field_error(spec, fmt::format("'{}' {}", text, *problem));
        } else {
          value = std::string(text);
        }
        break;
      case FieldKind::kPhone: {
        // The row's country (read before, in spec order) supplies a
        // missing country code.
        auto phone = NormalisePhoneNumber(text, country.value_or(""));
        if (!phone) {
          field_error(spec, TrFormat(lang,
                                     "'{}' no es un número de teléfono E.164 (+, el código del país y de 8 a 15 "
                                     "dígitos; sin el código solo si el país del cliente es conocido)",
                                     "'{}' is not an E.164 phone number (+, the country code and 8 to 15 digits; "
                                     "without the code only when the customer's country is known)",
                                     text));
        } else {
          value = *phone;
        }
        break;
      }
      case FieldKind::kCustomerRef: {
        if (text == last_customer_text_) {
          value = last_customer_id_;
          break;
        }
        auto found = customers_.find(text);
        if (found == customers_.end()) {
          field_error(spec, TrFormat(lang, "cliente desconocido '{}' (importe primero los clientes)",
                                     "unknown customer '{}' (import customers first)", text));
        } else {
          last_customer_text_ = text;
          last_customer_id_ = std::to_string(found->second);
          value = last_customer_id_;
        }
        break;
      }
      case FieldKind::kInvoiceRef:
        value = std::string(text);
        break;
      case FieldKind::kMethod:
        value = AsciiLower(text);
        break;
      case FieldKind::kYesNo: {
        const std::string answer = AsciiLower(text);
        if (answer == "yes" || answer == "si" || answer == "sí" || answer == "true" || answer == "1") {
          value = "yes";
        } else if (answer == "no" || answer == "false" || answer == "0") {
          value = "no";
        } else {
          field_error(spec, TrFormat(lang, "'{}' no es sí ni no", "'{}' is not yes or no", text));
        }
        break;
      }
    }
  }

  // Pass 2: amounts in the row's currency, and the rules across fields.
  for (size_t i = 0; i < specs.size(); ++i) {
    const FieldSpec& spec = specs[i];
    if (spec.kind != FieldKind::kAmount) continue;
    const int position = field_to_column_[i];
    const std::string_view text = position < 0 ? std::string_view() : Trim(fields[static_cast<size_t>(position)]);
    if (text.empty()) continue;  // required-ness reported in pass 1
    if (!currency) {
      if (spec_->kind == ImportKind::kCustomers) {
        errors.Add(line, TrFormat(lang, "campo 'currency': es obligatorio cuando hay '{}'",
                                  "field 'currency': is required when '{}' is given", spec.header));
      }
      continue;  // a bad currency was reported in pass 1
    }
    // Pass 1 resolved this row's currency last.
    const Currency row_currency = *last_currency_;
    auto amount = Money::Parse(text, row_currency, options_->decimal_separator);
    if (!amount) {
      field_error(spec, lang == Language::kEnglish
                            ? amount.error().message
                            : TrFormat(lang,
                                       "'{}' no es un importe (en {} se admiten {} decimales, separados con '{}' y sin "
                                       "separador de miles)",
                                       "", text, *currency, row_currency.exponent(),
                                       options_->decimal_separator == DecimalSeparator::kComma ? ',' : '.'));
    } else if (amount->is_negative()) {
      field_error(spec, spec_->kind == ImportKind::kInvoices
                            ? TrFormat(lang, "'{}' es negativo (registre una nota crédito)",
                                       "'{}' is negative (record a credit note instead)", text)
                            : TrFormat(lang, "'{}' es negativo", "'{}' is negative", text));
    } else if (!IsWithinDocumentAmountLimit(amount->minor_units())) {
      field_error(spec, TrFormat(lang, "'{}' supera el límite de un documento ({} {})",
                                 "'{}' is above the limit for one document ({} {})", text,
                                 FormatMinorUnits(kDocumentAmountMinorMax, row_currency.exponent()), *currency));
    } else if (amount->is_zero() && spec_->kind != ImportKind::kInvoices && spec_->kind != ImportKind::kCustomers) {
      field_error(spec, std::string(Tr(lang, "debe ser mayor que cero", "must be greater than zero")));
    } else {
      values[i + 1] = std::to_string(amount->minor_units());
    }
  }
  auto column = [&](std::string_view name) -> std::optional<std::string>& {
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].column == name) return values[i + 1];
    }
    static std::optional<std::string> none;
    return none;
  };
  if (spec_->kind == ImportKind::kInvoices) {
    auto& issue = column("issue_date");
    auto& due = column("due_date");
    if (issue && due && *due < *issue) {
      errors.Add(line, TrFormat(lang, "campo 'due_date': '{}' es anterior a la fecha de emisión '{}'",
                                "field 'due_date': '{}' is before the issue date '{}'", *due, *issue));
    }
  }
  if (spec_->kind == ImportKind::kCustomers && country) {
    auto& zone = column("time_zone");
    if (!zone) {
      auto default_zone = DefaultTimeZoneForCountry(*country);
      if (!default_zone) {
        errors.Add(line,
                   TrFormat(lang, "campo 'time_zone': es obligatorio para el país '{}' (no tiene zona por defecto)",
                            "field 'time_zone': is required for country '{}' (no default zone known)", *country));
      } else {
        zone = std::string(*default_zone);
      }
    }
    auto& language = column("language");
    if (!language) language = IsSpanishSpeaking(*country) ? "es" : "en";
    auto& kind = column("kind");
    if (!kind) kind = "company";
  }

  if (!extra_columns_.empty()) {
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& [position, name] : extra_columns_) {
      std::string_view text = Trim(fields[static_cast<size_t>(position)]);
      if (auto problem = FindTextProblem(text)) {
        errors.Add(line, TrFormat(lang, "campo '{}': {}: '{}'", "field '{}': {}: '{}'", name,
                                  DescribeTextProblem(*problem, lang), EscapeForDisplay(text)));
        continue;
      }
      if (!text.empty()) attributes[name] = std::string(text);
    }
    if (!attributes.empty()) values[specs.size() + 1] = attributes.dump();
  }
  return errors.total == errors_before;
}

}  // namespace cartera
