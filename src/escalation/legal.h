// Legal action: a case (escalation.h, kind "legal") moves through stages
// demand_letter -> filed -> judgment -> enforcement -> closed, one step at a
// time forward, or straight to closed from any open stage (settled or
// withdrawn); never back. Reaching "closed" ends the case and releases its
// invoices to collection. Documents (name, content type, bytes up to
// kLegalDocumentBytesMax, kept in the database) and costs (money) are
// attached while the case exists. Every change is audited.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::escalation {

inline constexpr std::array<std::string_view, 5> kLegalStages = {"demand_letter", "filed", "judgment", "enforcement",
                                                                 "closed"};
// A court filing scan is rarely above a few hundred KiB; larger files
// belong in the firm's document system, referenced by name.
inline constexpr size_t kLegalDocumentBytesMax = 1 << 20;
inline constexpr size_t kLegalDocumentNameBytesMax = 200;

bool IsLegalStage(std::string_view stage);
// Whether a legal case may move from `from` to `to` (see above). Pure.
bool LegalTransitionAllowed(std::string_view from, std::string_view to);

// Moves the case to `to_stage` (with a note for the audit). kNotFound for
// an unknown case; kBadInput naming "stage" for an unknown stage; kConflict
// for an agency case, a case no longer open, or a transition not allowed
// (the message names both stages and what is allowed).
Status AdvanceLegalCase(Database& database, int64_t tenant_id, int64_t case_id, std::string_view to_stage,
                        const std::string& note, const AuditContext& audit);

// Attaches a document. kBadInput naming "name", "content_type" or
// "content" (empty, too long, over kLegalDocumentBytesMax); kConflict for
// an agency case. Returns the document id.
Result<int64_t> AddLegalDocument(Database& database, int64_t tenant_id, int64_t case_id, const std::string& name,
                                 const std::string& content_type, const std::string& bytes, const AuditContext& audit);
struct LegalDocument {
  std::string name;
  std::string content_type;
  std::string bytes;
};
// kNotFound for a document that is not the case's (or the tenant's).
Result<LegalDocument> LoadLegalDocument(Database& database, int64_t tenant_id, int64_t case_id, int64_t document_id,
                                        Language language);

// Records a cost (court fees, a lawyer's invoice): `amount` a positive
// decimal in `currency` (ISO 4217). kBadInput naming "amount", "currency"
// or "description"; kConflict for an agency case. Returns the cost id.
Result<int64_t> AddLegalCost(Database& database, int64_t tenant_id, int64_t case_id, Date date,
                             const std::string& amount, const std::string& currency, const std::string& description,
                             const AuditContext& audit);

// Standard base64 (RFC 4648, with padding): the document bytes in JSON.
std::string EncodeBase64(std::string_view bytes);
// nullopt for text that is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace cartera::escalation
