// The decision function alone: open invoices decided per second on one core.
// Issue target: at least 2,000,000 open invoices per second per core.
// Run: ninja -C build decision_benchmark && build/bench/decision_benchmark
#include <benchmark/benchmark.h>

#include "engine/decision.h"

namespace cartera {
namespace {

// 10,000 customers with two open invoices each, at every stage of the
// default strategy, half of them habitual, some with promises or disputes.
std::vector<CustomerSnapshot> Portfolio(Date today) {
  std::vector<CustomerSnapshot> customers(10000);
  for (size_t i = 0; i < customers.size(); ++i) {
    CustomerSnapshot& customer = customers[i];
    customer.customer_id = static_cast<int64_t>(i + 1);
    customer.country = "CO";
    customer.segment = i % 2 == 0 ? "habitual" : (i % 3 == 0 ? "high_risk" : "occasional");
    customer.size_segment = i % 5 == 0 ? "A" : "C";
    customer.average_invoice_minor = 100000;
    customer.channel_allowed.fill(true);
    const int32_t days_late = static_cast<int32_t>(i % 150) - 10;
    customer.invoices = {{static_cast<int64_t>(2 * i), today.PlusDays(-days_late), 250000, i % 50 == 0},
                         {static_cast<int64_t>(2 * i + 1), today.PlusDays(-days_late + 20), 120000, false}};
    if (i % 40 == 0) customer.promise = PromiseState{today.PlusDays(3), false};
    if (i % 7 == 0) customer.last_fired = {{"overdue_30", today.PlusDays(-2)}};
  }
  return customers;
}

void BM_DecidePerInvoice(benchmark::State& state) {
  const Date today = *Date::ParseIso("2026-11-20");
  const std::vector<CustomerSnapshot> customers = Portfolio(today);
  const Strategy& strategy = DefaultStrategy();
  Decision decision;
  int64_t invoices = 0;
  for (auto _ : state) {
    for (const CustomerSnapshot& customer : customers) {
      decision.planned.clear();
      decision.skipped.clear();
      Decide(strategy, customer, today, decision);
      invoices += static_cast<int64_t>(customer.invoices.size());
    }
    benchmark::DoNotOptimize(decision);
  }
  state.counters["invoices_per_second"] = benchmark::Counter(static_cast<double>(invoices), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DecidePerInvoice)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cartera

BENCHMARK_MAIN();
