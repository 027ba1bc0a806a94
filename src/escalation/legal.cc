#include "escalation/legal.h"

#include <fmt/format.h>

#include <optional>

#include "core/currency.h"
#include "core/money.h"
#include "escalation/case_store.h"
#include "escalation/escalation.h"

namespace cartera::escalation {
namespace {

using internal::AuditChange;

std::optional<size_t> StageIndex(std::string_view stage) {
  for (size_t index = 0; index < kLegalStages.size(); ++index) {
    if (kLegalStages[index] == stage) return index;
  }
  return std::nullopt;
}

Error FieldError(ErrorCode code, std::string_view field, std::string message) {
  return Error{code, fmt::format("{}: {}", field, message)};
}

// The case, which must be a legal one (kConflict otherwise).
Result<internal::CaseHeader> LegalCase(Database& database, int64_t tenant_id, int64_t case_id, Language language) {
  auto header = internal::LoadCaseHeader(database, tenant_id, case_id, language);
  if (!header) return Fail(header.error());
  if (header->kind != kKindLegal) {
    return Fail(
        Error::Conflict(TrFormat(language, "el caso {} no es judicial", "case {} is not a legal case", case_id)));
  }
  return header;
}

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

bool IsLegalStage(std::string_view stage) { return StageIndex(stage).has_value(); }

bool LegalTransitionAllowed(std::string_view from, std::string_view to) {
  const auto from_index = StageIndex(from), to_index = StageIndex(to);
  if (!from_index || !to_index || from == "closed") return false;
  return *to_index == *from_index + 1 || to == "closed";
}

Status AdvanceLegalCase(Database& database, int64_t tenant_id, int64_t case_id, std::string_view to_stage,
                        const std::string& note, const AuditContext& audit) {
  const Language language = audit.language;
  if (!IsLegalStage(to_stage)) {
    return Fail(FieldError(ErrorCode::kBadInput, "stage",
                           TrFormat(language, "'{}' no es una etapa: {}", "'{}' is not a stage: {}", to_stage,
                                    fmt::join(kLegalStages, ", "))));
  }
  if (note.size() > kNoteBytesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "note",
                           TrFormat(language, "como máximo {} bytes", "at most {} bytes", kNoteBytesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto header = LegalCase(database, tenant_id, case_id, language);
  if (!header) return Fail(header.error());
  if (header->status != "open") {
    return Fail(
        Error::Conflict(TrFormat(language, "el caso {} ya está cerrado", "case {} is already closed", case_id)));
  }
  if (!LegalTransitionAllowed(header->stage, to_stage)) {
    const auto from_index = StageIndex(header->stage);
    const std::string_view next =
        from_index && *from_index + 1 < kLegalStages.size() ? kLegalStages[*from_index + 1] : "closed";
    return Fail(FieldError(
        ErrorCode::kConflict, "stage",
        TrFormat(language, "el caso {} está en la etapa '{}': no puede pasar a '{}' (sí a '{}' o a 'closed')",
                 "case {} is at stage '{}': it cannot move to '{}' (it can to '{}' or to 'closed')", case_id,
                 header->stage, to_stage, next)));
  }
  auto update = database.Prepare("UPDATE escalation_cases SET stage = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, to_stage);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, case_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if (auto ok = AuditChange(database, tenant_id, audit, "escalation_case", case_id, "update",
                            {{"stage", header->stage}}, {{"stage", to_stage}, {"note", note}});
      !ok) {
    return ok;
  }
  if (to_stage == "closed") {
    if (auto ok = internal::EndCase(database, tenant_id, case_id, "closed", audit); !ok) return ok;
  }
  return transaction->Commit();
}

Result<int64_t> AddLegalDocument(Database& database, int64_t tenant_id, int64_t case_id, const std::string& name,
                                 const std::string& content_type, const std::string& bytes, const AuditContext& audit) {
  const Language language = audit.language;
  if (name.empty() || name.size() > kLegalDocumentNameBytesMax) {
    return Fail(FieldError(ErrorCode::kBadInput, "name",
                           TrFormat(language, "el nombre es obligatorio (hasta {} bytes)",
                                    "the name is required (up to {} bytes)", kLegalDocumentNameBytesMax)));
  }
  const size_t slash = content_type.find('/');
  if (content_type.size() > 100 || slash == std::string::npos || slash == 0 || slash + 1 == content_type.size()) {
    return Fail(FieldError(ErrorCode::kBadInput, "content_type",
                           TrFormat(language, "'{}' no es un tipo de contenido (p. ej. application/pdf)",
                                    "'{}' is not a content type (e.g. application/pdf)", content_type)));
  }
  if (bytes.empty() || bytes.size() > kLegalDocumentBytesMax) {
    return Fail(
        FieldError(ErrorCode::kBadInput, "content",
                   TrFormat(language, "el documento debe tener entre 1 y {} bytes; tiene {}",
                            "the document must have 1 to {} bytes; it has {}", kLegalDocumentBytesMax, bytes.size())));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto header = LegalCase(database, tenant_id, case_id, language);
  if (!header) return Fail(header.error());
  auto insert = database.Prepare(
      "INSERT INTO legal_documents (tenant_id, case_id, name, content_type, size_bytes, content_base64, added_by, "
      "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, case_id);
  (*insert)->BindText(3, name);
  (*insert)->BindText(4, content_type);
  (*insert)->BindInt64(5, static_cast<int64_t>(bytes.size()));
  (*insert)->BindText(6, EncodeBase64(bytes));
  (*insert)->BindText(7, audit.actor);
  (*insert)->BindText(8, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = internal::LastId(database, "legal_documents", tenant_id);
  if (!id) return Fail(id.error());
  if (auto ok = AuditChange(
          database, tenant_id, audit, "legal_document", *id, "create", nullptr,
          {{"case_id", case_id}, {"name", name}, {"content_type", content_type}, {"size_bytes", bytes.size()}});
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

Result<LegalDocument> LoadLegalDocument(Database& database, int64_t tenant_id, int64_t case_id, int64_t document_id,
                                        Language language) {
  auto query = database.Prepare(
      "SELECT name, content_type, content_base64 FROM legal_documents WHERE tenant_id = ? AND case_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, case_id);
  (*query)->BindInt64(3, document_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(
        TrFormat(language, "el caso {} no tiene un documento {}", "case {} has no document {}", case_id, document_id)));
  }
  auto bytes = DecodeBase64((*query)->GetText(2));
  if (!bytes) return Fail(Error::Internal("a stored legal document is not base64"));
  return LegalDocument{std::string((*query)->GetText(0)), std::string((*query)->GetText(1)), std::move(*bytes)};
}

Result<int64_t> AddLegalCost(Database& database, int64_t tenant_id, int64_t case_id, Date date,
                             const std::string& amount, const std::string& currency_code,
                             const std::string& description, const AuditContext& audit) {
  const Language language = audit.language;
  const std::optional<Currency> currency = Currency::FromCode(currency_code);
  if (!currency) {
    return Fail(
        FieldError(ErrorCode::kBadInput, "currency",
                   TrFormat(language, "'{}' no es un código ISO 4217", "'{}' is not an ISO 4217 code", currency_code)));
  }
  auto money = Money::Parse(amount, *currency);
  if (!money) return Fail(FieldError(ErrorCode::kBadInput, "amount", money.error().message));
  if (money->minor_units() <= 0 || !IsWithinDocumentAmountLimit(money->minor_units())) {
    return Fail(FieldError(ErrorCode::kBadInput, "amount",
                           std::string(Tr(language, "debe ser mayor que cero", "must be above zero"))));
  }
  if (description.empty() || description.size() > kNoteBytesMax) {
    return Fail(FieldError(
        ErrorCode::kBadInput, "description",
        TrFormat(language, "es obligatoria (hasta {} bytes)", "is required (up to {} bytes)", kNoteBytesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto header = LegalCase(database, tenant_id, case_id, language);
  if (!header) return Fail(header.error());
  auto insert = database.Prepare(
      "INSERT INTO legal_costs (tenant_id, case_id, date, currency, amount_minor, description, added_by, added_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, case_id);
  (*insert)->BindText(3, date.ToIso());
  (*insert)->BindText(4, currency->code());
  (*insert)->BindInt64(5, money->minor_units());
  (*insert)->BindText(6, description);
  (*insert)->BindText(7, audit.actor);
  (*insert)->BindText(8, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = internal::LastId(database, "legal_costs", tenant_id);
  if (!id) return Fail(id.error());
  if (auto ok = AuditChange(database, tenant_id, audit, "legal_cost", *id, "create", nullptr,
                            {{"case_id", case_id},
                             {"date", date.ToIso()},
                             {"currency", currency->code()},
                             {"amount_minor", money->minor_units()},
                             {"description", description}});
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t at = 0;
  for (; at + 3 <= bytes.size(); at += 3) {
    const uint32_t n = (uint32_t(uint8_t(bytes[at])) << 16) | (uint32_t(uint8_t(bytes[at + 1])) << 8) |
                       uint32_t(uint8_t(bytes[at + 2]));
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  const size_t rest = bytes.size() - at;
  if (rest > 0) {
    uint32_t n = uint32_t(uint8_t(bytes[at])) << 16;
    if (rest == 2) n |= uint32_t(uint8_t(bytes[at + 1])) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t at = 0; at < text.size(); at += 4) {
    uint32_t n = 0;
    int padding = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = text[at + k];
      if (c == '=') {
        // Padding only in the last group's last one or two places.
        if (at + 4 != text.size() || k < 2) return std::nullopt;
        ++padding;
        n <<= 6;
        continue;
      }
      if (padding > 0) return std::nullopt;
      const size_t value = kBase64Alphabet.find(c);
      if (value == std::string_view::npos) return std::nullopt;
      n = (n << 6) | static_cast<uint32_t>(value);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

}  // namespace cartera::escalation
