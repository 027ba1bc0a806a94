#include "collection/notes.h"

#include <fmt/format.h>

#include "core/language.h"
#include "core/text_check.h"
#include "report/customer_list.h"

namespace cartera {

Result<NoteRecord> AddNote(Database& database, int64_t tenant_id, std::string_view customer_external_id,
                           std::string_view text, const AuditContext& audit) {
  const Language language = audit.language;
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return Fail(Error::BadInput(std::string(Tr(language, "la nota está vacía", "the note is empty"))));
  }
  if (text.size() > kNoteBytesMax) {
    return Fail(
        Error::BadInput(TrFormat(language, "la nota admite como mucho {} bytes (tiene {})",
                                 "a note takes at most {} bytes (this one has {})", kNoteBytesMax, text.size())));
  }
  if (auto problem = FindTextProblem(text)) {
    return Fail(
        Error::BadInput(TrFormat(language, "la nota {}", "the note {}", DescribeTextProblem(*problem, language))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto found = CustomerIdByExternalId(database, tenant_id, customer_external_id, language);
  if (!found) return Fail(found.error());
  const int64_t customer_id = *found;
  auto insert = database.Prepare(
      "INSERT INTO customer_notes (tenant_id, customer_id, text, author, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, customer_id);
  (*insert)->BindText(3, text);
  (*insert)->BindText(4, audit.actor);
  (*insert)->BindText(5, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  insert->reset();
  // Inside the transaction: the largest id of the tenant's notes is this one.
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM customer_notes WHERE tenant_id = {}", tenant_id));
  if (!id) return Fail(id.error());
  NoteRecord note{id->value_or(0), std::string(customer_external_id), std::string(text), audit.actor, audit.at};
  nlohmann::json after = {{"customer_id", customer_id}, {"text", note.text}, {"author", note.author}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "note", note.id, "create", "", after.dump()); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return note;
}

nlohmann::json NoteJson(const NoteRecord& note) {
  return {{"id", note.id},
          {"customer_external_id", note.customer_external_id},
          {"text", note.text},
          {"author", note.author},
          {"created_at", note.created_at}};
}

}  // namespace cartera
