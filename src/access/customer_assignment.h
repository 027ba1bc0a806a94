// The collector rule: a customer may be assigned to one collector (a user
// of the tenant); a principal whose role is exactly collector acts only on
// the customers assigned to them or to no one, and on the call tasks
// assigned to them or to no one. Managers and admins act on every customer.
// Every collector-facing change asks MayActOn... before it writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "access/principal.h"
#include "core/error.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::access {

// Assigns the customer to `collector_email` (a user of the tenant whose role
// is collector or above, stored lower case), or unassigns it (nullopt).
// kNotFound for an unknown customer, kBadInput for an e-mail that is not
// such a user. Audited as a customer update ({"collector": before/after}).
// Returns the collector now assigned.
Result<std::optional<std::string>> AssignCustomer(Database& database, int64_t tenant_id,
                                                  std::string_view customer_external_id,
                                                  const std::optional<std::string>& collector_email,
                                                  const AuditContext& audit);

// The customer's assigned collector (nullopt: unassigned); kNotFound, worded
// in `language`, for an unknown customer.
Result<std::optional<std::string>> CustomerCollector(Database& database, int64_t tenant_id,
                                                     std::string_view customer_external_id, Language language);

// Whether `principal` may act on a customer. The value is the refusal's
// words (in `language`) when it may not, nullopt when it may. A thing that
// does not exist in the principal's tenant is not refused here: the change
// itself answers kNotFound in its own words. An error only when the
// database fails. The API answers a refusal with 403 forbidden.
using Refusal = std::optional<std::string>;
Result<Refusal> MayActOnCustomer(Database& database, const Principal& principal, int64_t customer_id,
                                 Language language);
Result<Refusal> MayActOnCustomer(Database& database, const Principal& principal,
                                 std::string_view customer_external_id, Language language);
// The same asked through what a change names: a promise, a dispute, an
// invoice (by external id), or a call task (whose own assignee counts too
// when it is the e-mail of a user of the tenant: free text binds no one).
Result<Refusal> MayActOnPromise(Database& database, const Principal& principal, int64_t promise_id,
                                Language language);
Result<Refusal> MayActOnDispute(Database& database, const Principal& principal, int64_t dispute_id,
                                Language language);
Result<Refusal> MayActOnInvoice(Database& database, const Principal& principal, std::string_view invoice_external_id,
                                Language language);
Result<Refusal> MayActOnTask(Database& database, const Principal& principal, int64_t task_id, Language language);

}  // namespace cartera::access
