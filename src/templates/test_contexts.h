// Sample debtors for the template tests: a Colombian one (es-CO, COP) and a
// US one (en-US, USD), with one or two invoices (both past due on 2026-03-09),
// with or without a payment link.
#pragma once

#include "templates/message_renderer.h"

namespace cartera::templates::samples {

inline MessageContext ColombianContext(bool two_invoices = true, bool with_link = true) {
  MessageContext context;
  context.debtor_name = "Inversiones Pérez S.A.S.";
  context.company_name = "Distribuidora Andina";
  context.collector_name = "Laura Méndez";
  context.dispute_reason = "el pago del 12 de marzo fue de otra factura";
  context.installment = MessageContext::PlanInstallment{2, Date::FromYmd(2026, 3, 12), 50000000};  // plan messages
  if (with_link) context.payment_link = "https://pagos.example.co/x7K2p9";
  context.locale = Locale::kEsCO;
  context.currency = *Currency::FromCode("COP");
  context.as_of = Date::FromYmd(2026, 3, 9);
  context.invoices.push_back(
      {"FE-1001", Date::FromYmd(2026, 1, 6), Date::FromYmd(2026, 2, 5), 125000000, 125000000, 32});
  if (two_invoices) {
    context.invoices.push_back(
        {"FE-1042", Date::FromYmd(2026, 2, 1), Date::FromYmd(2026, 3, 3), 98000000, 48000000, 6});
  }
  return context;
}

inline MessageContext UsContext(bool two_invoices = true, bool with_link = true) {
  MessageContext context;
  context.debtor_name = "Acme Supply Co.";
  context.company_name = "Northwind Traders";
  context.collector_name = "Jordan Smith";
  context.dispute_reason = "the March 12 payment was for another invoice";
  context.installment = MessageContext::PlanInstallment{2, Date::FromYmd(2026, 3, 12), 50000000};  // plan messages
  if (with_link) context.payment_link = "https://pay.example.com/x7K2p9";
  context.locale = Locale::kEnUS;
  context.currency = *Currency::FromCode("USD");
  context.as_of = Date::FromYmd(2026, 3, 9);
  context.invoices.push_back(
      {"INV-1001", Date::FromYmd(2026, 1, 6), Date::FromYmd(2026, 2, 5), 125000000, 125000000, 32});
  if (two_invoices) {
    context.invoices.push_back(
        {"INV-1042", Date::FromYmd(2026, 2, 1), Date::FromYmd(2026, 3, 3), 98000000, 48000000, 6});
  }
  return context;
}

// The same context written on another day: as_of and every invoice's
// days_late move with it. AsOf(ColombianContext(), 2026-01-29) is a week
// before FE-1001 falls due, with no invoice past due.
inline MessageContext AsOf(MessageContext context, Date as_of) {
  context.as_of = as_of;
  for (InvoiceLine& line : context.invoices) line.days_late = DaysBetween(line.due_date, as_of);
  return context;
}

}  // namespace cartera::templates::samples
