// A deterministic, realistic demo portfolio for a Colombian SME: customers
// with NIT or cédula, COP invoices with heavy-tailed sizes, and payment
// behaviour by profile (punctual, occasional, chronic late payers), with
// partial payments and credit notes. Written as the four import CSV files,
// so the demo exercises exactly the import a real user runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/date.h"
#include "core/error.h"

namespace cartera {

struct DemoOptions {
  int64_t customers = 200;
  uint64_t seed = 42;
  Date as_of;  // history ends here
  std::string directory;  // where the CSV files are written
  std::function<void(int64_t customers_done)> on_progress;
};

struct DemoFiles {
  std::string customers, invoices, payments, credit_notes;
  int64_t invoice_count = 0, payment_count = 0, credit_note_count = 0;
};

Result<DemoFiles> WriteDemoPortfolio(const DemoOptions& options);

// The DIAN check digit of a Colombian NIT ("900123456" -> 8).
int NitCheckDigit(std::string_view nit_digits);

}  // namespace cartera
