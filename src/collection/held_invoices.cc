#include "collection/held_invoices.h"

#include <fmt/format.h>

namespace cartera {

std::string HeldInvoicesSql(std::string_view customer_filter) {
  // Each arm selects invoice_id from a table whose rows carry tenant_id and
  // customer_id; the tenant is bound once through the CTE.
  return fmt::format(
      "WITH t AS (SELECT CAST(? AS BIGINT) AS id) "
      "SELECT invoice_id FROM disputes, t WHERE tenant_id = t.id AND status = 'open'{0}",
      customer_filter);
}

}  // namespace cartera
