#include "agreements/plan_terms.h"

#include "pdf/customer_documents.h"
#include "pdf/plan_terms_pdf.h"
#include "store/company_profile.h"

namespace cartera {

Result<std::string> RenderPlanTerms(Database& database, int64_t tenant_id, const PlanRecord& plan) {
  auto debtor = pdf::LoadDebtor(database, tenant_id, plan.customer_id);
  if (!debtor) return Fail(debtor.error());
  auto company = LoadCompanyProfile(database, tenant_id);
  if (!company) return Fail(company.error());
  pdf::PdfLayout layout;
  layout.paper = pdf::DefaultPaperFor(company->country);
  layout.locale = debtor->locale;
  layout.company = std::move(*company);
  pdf::PlanTerms terms;
  terms.plan_id = plan.id;
  terms.proposed_on = plan.proposed_on;
  terms.currency = plan.currency;
  terms.frequency = std::string(PlanFrequencyCode(plan.frequency));
  for (const PlanInvoice& invoice : plan.invoices) {
    terms.invoices.push_back({invoice.number, invoice.due_date, invoice.open_minor_at_proposal});
  }
  terms.balance_minor = plan.balance_minor;
  terms.down_payment_minor = plan.down_payment_minor;
  terms.financed_minor = plan.financed_minor;
  terms.interest_minor = plan.interest_minor;
  terms.total_minor = plan.total_minor;
  if (plan.annual_interest) terms.annual_rate_percent = plan.annual_interest->ToPercentString(2);
  terms.missed_to_break = plan.missed_to_break;
  for (const Installment& installment : plan.installments) {
    terms.installments.push_back(
        {installment.number, installment.due_date, installment.amount_minor, installment.interest_minor});
  }
  return pdf::RenderPlanTermsPdf(terms, debtor->addressee, layout);
}

}  // namespace cartera
