#include "access/customer_assignment.h"

#include <algorithm>

#include <nlohmann/json.hpp>


namespace cartera::access {
namespace {

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Error UnknownCustomerError(std::string_view external_id, Language language) {
  return Error::NotFound(TrFormat(language, "no existe el cliente '{}'", "no customer '{}'", external_id));
}

nlohmann::json CollectorJson(const std::optional<std::string>& collector) {
  return {{"collector", collector ? nlohmann::json(*collector) : nlohmann::json(nullptr)}};
}

// Only a principal whose role is exactly collector is bound by assignment.
bool Bound(const Principal& principal) { return principal.role == Role::kCollector; }

// Whether an assignment (a customer's collector, a task's assignee) leaves
// the principal free to act: unassigned, or assigned to the principal's own
// e-mail (an API key has none: only the unassigned).
bool Free(const Principal& principal, const std::optional<std::string>& assigned) {
  if (!assigned || assigned->empty()) return true;
  return principal.kind == Principal::Kind::kUser && Lowered(*assigned) == Lowered(principal.name);
}

std::string CustomerRefusal(Language language) {
  return std::string(Tr(language, "el cliente está asignado a otro gestor de cobro",
                        "the customer is assigned to another collector"));
}

// Runs `sql` (binding the tenant, then `bind`) and reads the customer's
// collector in column 0 and, when `with_assignee`, a task's assignee in 1.
// nullopt row: nothing found (the change will answer its own 404).
struct Found {
  std::optional<std::string> collector;
  std::optional<std::string> assignee;
};

template <typename Bind>
Result<std::optional<Found>> Lookup(Database& database, const Principal& principal, std::string_view sql, Bind bind,
                                    bool with_assignee) {
  auto select = database.Prepare(sql);
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, principal.tenant_id);
  bind(**select);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Found>();
  Found found;
  found.collector = (*select)->GetOptionalText(0);
  if (with_assignee) found.assignee = (*select)->GetOptionalText(1);
  return std::optional<Found>(found);
}

Result<Refusal> Judge(const Principal& principal, const Result<std::optional<Found>>& found, Language language) {
  if (!found) return Fail(found.error());
  if (!*found) return Refusal();
  if (!Free(principal, (*found)->collector)) return Refusal(CustomerRefusal(language));
  if (!Free(principal, (*found)->assignee)) {
    return Refusal(std::string(Tr(language, "la tarea está asignada a otro gestor de cobro",
                                  "the task is assigned to another collector")));
  }
  return Refusal();
}

}  // namespace

Result<std::optional<std::string>> CustomerCollector(Database& database, int64_t tenant_id,
                                                     std::string_view customer_external_id, Language language) {
  auto select = database.Prepare("SELECT collector FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!select) return Fail(select.error());
  (*select)->BindInt64(1, tenant_id);
  (*select)->BindText(2, customer_external_id);
  auto row = (*select)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(UnknownCustomerError(customer_external_id, language));
  return (*select)->GetOptionalText(0);
}

Result<std::optional<std::string>> AssignCustomer(Database& database, int64_t tenant_id,
                                                  std::string_view customer_external_id,
                                                  const std::optional<std::string>& collector_email,
                                                  const AuditContext& audit) {
  std::optional<std::string> collector;
  if (collector_email) collector = Lowered(*collector_email);
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto customer = database.Prepare("SELECT id, collector FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, customer_external_id);
  auto found = (*customer)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return Fail(UnknownCustomerError(customer_external_id, audit.language));
  const int64_t customer_id = (*customer)->GetInt64(0);
  const std::optional<std::string> before = (*customer)->GetOptionalText(1);
  customer->reset();
  if (collector) {
    auto user = database.Prepare("SELECT role, disabled_at FROM users WHERE tenant_id = ? AND email = ?");
    if (!user) return Fail(user.error());
    (*user)->BindInt64(1, tenant_id);
    (*user)->BindText(2, *collector);
    auto row = (*user)->Step();
    if (!row) return Fail(row.error());
    const bool usable = *row && Allows(ParseRole((*user)->GetText(0)).value_or(Role::kViewer), Role::kCollector) &&
                        (*user)->IsNull(1);
    if (!usable) {
      return Fail(Error::BadInput(TrFormat(
          audit.language, "'{}' no es un usuario activo de esta empresa con rol collector o superior",
          "'{}' is not an active user of this company with the role collector or above", *collector)));
    }
  }
  auto update = database.Prepare("UPDATE customers SET collector = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindOptionalText(1, collector);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, customer_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  if (auto ok = WriteAudit(database, tenant_id, audit, "customer", customer_id, "update", CollectorJson(before).dump(),
                           CollectorJson(collector).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return collector;
}

Result<Refusal> MayActOnCustomer(Database& database, const Principal& principal, int64_t customer_id,
                                 Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal, "SELECT collector FROM customers WHERE tenant_id = ? AND id = ?",
                   [&](Statement& statement) { statement.BindInt64(2, customer_id); }, false),
               language);
}

Result<Refusal> MayActOnCustomer(Database& database, const Principal& principal,
                                 std::string_view customer_external_id, Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal, "SELECT collector FROM customers WHERE tenant_id = ? AND external_id = ?",
                   [&](Statement& statement) { statement.BindText(2, customer_external_id); }, false),
               language);
}

Result<Refusal> MayActOnPromise(Database& database, const Principal& principal, int64_t promise_id,
                                Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal,
                   "SELECT c.collector FROM promises p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = "
                   "p.customer_id WHERE p.tenant_id = ? AND p.id = ?",
                   [&](Statement& statement) { statement.BindInt64(2, promise_id); }, false),
               language);
}

Result<Refusal> MayActOnDispute(Database& database, const Principal& principal, int64_t dispute_id,
                                Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal,
                   "SELECT c.collector FROM disputes d JOIN customers c ON c.tenant_id = d.tenant_id AND c.id = "
                   "d.customer_id WHERE d.tenant_id = ? AND d.id = ?",
                   [&](Statement& statement) { statement.BindInt64(2, dispute_id); }, false),
               language);
}

Result<Refusal> MayActOnInvoice(Database& database, const Principal& principal, std::string_view invoice_external_id,
                                Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal,
                   "SELECT c.collector FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = "
                   "i.customer_id WHERE i.tenant_id = ? AND i.external_id = ?",
                   [&](Statement& statement) { statement.BindText(2, invoice_external_id); }, false),
               language);
}

Result<Refusal> MayActOnTask(Database& database, const Principal& principal, int64_t task_id, Language language) {
  if (!Bound(principal)) return Refusal();
  return Judge(principal,
               Lookup(
                   database, principal,
                   // The task's assignee counts when it is a user's e-mail (free
                   // text naming no account binds no one).
                   "SELECT c.collector, (SELECT u.email FROM users u WHERE u.tenant_id = o.tenant_id AND u.email = "
                   "LOWER(o.assignee)) FROM outbox o JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = "
                   "o.customer_id WHERE o.tenant_id = ? AND o.id = ? AND o.action = 'call_task'",
                   [&](Statement& statement) { statement.BindInt64(2, task_id); }, true),
               language);
}

}  // namespace cartera::access
