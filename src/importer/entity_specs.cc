#include "importer/entity_specs.h"

namespace cartera {
namespace {

const EntitySpec kCustomers{
    ImportKind::kCustomers,
    "customer",
    "customers",
    "import_customers",
    {
        {"external_id", FieldKind::kExternalId, true, "external_id", "TEXT"},
        {"name", FieldKind::kText, true, "name", "TEXT"},
        {"tax_id", FieldKind::kText, true, "tax_id", "TEXT"},
        {"country", FieldKind::kCountry, true, "country", "TEXT"},
        {"kind", FieldKind::kCustomerKind, false, "kind", "TEXT"},
        {"time_zone", FieldKind::kTimeZone, false, "time_zone", "TEXT"},
        {"language", FieldKind::kLanguage, false, "language", "TEXT"},
        {"email", FieldKind::kEmail, false, "email", "TEXT"},
        {"phone", FieldKind::kPhone, false, "phone", "TEXT"},
        {"whatsapp", FieldKind::kPhone, false, "whatsapp", "TEXT"},
        {"address", FieldKind::kText, false, "address", "TEXT"},
        {"currency", FieldKind::kCurrency, false, "currency", "TEXT"},
        {"credit_limit", FieldKind::kAmount, false, "credit_limit_minor", "BIGINT"},
        {"segment", FieldKind::kText, false, "segment", "TEXT"},
        // The debtor's own authorisation per channel; absent, the contact
        // points count as authorised by the business (source "import").
        {"consent_email", FieldKind::kYesNo, false, "consent_email", "TEXT"},
        {"consent_sms", FieldKind::kYesNo, false, "consent_sms", "TEXT"},
        {"consent_whatsapp", FieldKind::kYesNo, false, "consent_whatsapp", "TEXT"},
        {"consent_call", FieldKind::kYesNo, false, "consent_call", "TEXT"},
    },
    {"name", "tax_id", "country", "kind", "time_zone", "language", "address", "credit_limit_minor", "currency",
     "segment", "attributes"},
    {},
};

const EntitySpec kInvoices{
    ImportKind::kInvoices,
    "invoice",
    "invoices",
    "import_invoices",
    {
        {"external_id", FieldKind::kExternalId, true, "external_id", "TEXT"},
        {"customer_external_id", FieldKind::kCustomerRef, true, "customer_id", "BIGINT"},
        {"number", FieldKind::kText, true, "number", "TEXT"},
        {"issue_date", FieldKind::kDate, true, "issue_date", "DATE"},
        {"due_date", FieldKind::kDate, true, "due_date", "DATE"},
        {"currency", FieldKind::kCurrency, true, "currency", "TEXT"},
        {"amount", FieldKind::kAmount, true, "amount_minor", "BIGINT"},
        {"description", FieldKind::kText, false, "description", "TEXT"},
    },
    {"customer_id", "number", "issue_date", "due_date", "currency", "amount_minor", "description", "attributes"},
    {{"open_minor", "s.amount_minor"}},
    // Settled means open_minor = 0: only invoices of amount zero, before
    // any payment is loaded.
    {"invoices_settled"},
};

const EntitySpec kPayments{
    ImportKind::kPayments,
    "payment",
    "payments",
    "import_payments",
    {
        {"external_id", FieldKind::kExternalId, true, "external_id", "TEXT"},
        {"customer_external_id", FieldKind::kCustomerRef, true, "customer_id", "BIGINT"},
        {"date", FieldKind::kDate, true, "date", "DATE"},
        {"currency", FieldKind::kCurrency, true, "currency", "TEXT"},
        {"amount", FieldKind::kAmount, true, "amount_minor", "BIGINT"},
        {"method", FieldKind::kMethod, true, "method", "TEXT"},
        {"reference", FieldKind::kText, false, "reference", "TEXT"},
        {"invoice_external_id", FieldKind::kInvoiceRef, false, "invoice_external_id", "TEXT"},
    },
    {"customer_id", "invoice_id", "date", "currency", "amount_minor", "method", "reference", "attributes"},
    {{"unapplied_minor", "s.amount_minor"}},
};

const EntitySpec kCreditNotes{
    ImportKind::kCreditNotes,
    "credit_note",
    "credit_notes",
    "import_credit_notes",
    {
        {"external_id", FieldKind::kExternalId, true, "external_id", "TEXT"},
        {"customer_external_id", FieldKind::kCustomerRef, true, "customer_id", "BIGINT"},
        {"invoice_external_id", FieldKind::kInvoiceRef, true, "invoice_external_id", "TEXT"},
        {"date", FieldKind::kDate, true, "date", "DATE"},
        {"currency", FieldKind::kCurrency, true, "currency", "TEXT"},
        {"amount", FieldKind::kAmount, true, "amount_minor", "BIGINT"},
        {"reason", FieldKind::kText, true, "reason", "TEXT"},
    },
    {"customer_id", "invoice_id", "date", "currency", "amount_minor", "reason", "attributes"},
    {{"unapplied_minor", "s.amount_minor"}},
};

}  // namespace

const EntitySpec& SpecFor(ImportKind kind) {
  switch (kind) {
    case ImportKind::kCustomers: return kCustomers;
    case ImportKind::kInvoices: return kInvoices;
    case ImportKind::kPayments: return kPayments;
    case ImportKind::kCreditNotes: return kCreditNotes;
  }
  return kInvoices;
}

}  // namespace cartera
