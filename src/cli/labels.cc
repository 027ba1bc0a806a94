#include "cli/labels.h"

#include <array>

namespace cartera {
namespace {

struct Entry {
  std::string_view code, spanish, english;
};

// One table for every code a table or sentence shows. Codes are unique
// across kinds, or mean the same thing in each (e.g. "open").
constexpr std::array kLabels = {
    // Outbox, promise, dispute and invoice statuses.
    Entry{"queued", "en cola", "queued"},
    Entry{"sending", "enviando", "sending"},
    Entry{"sent", "enviado", "sent"},
    Entry{"delivered", "entregado", "delivered"},
    Entry{"failed", "fallido", "failed"},
    Entry{"bounced", "rebotado", "bounced"},
    Entry{"blocked", "bloqueado", "blocked"},
    Entry{"unknown", "desconocido", "unknown"},
    Entry{"expired", "vencido", "expired"},
    Entry{"merged", "incluido en otro mensaje", "merged into another message"},
    Entry{"pending", "pendiente", "pending"},
    Entry{"open", "abierto", "open"},
    Entry{"done", "hecho", "done"},
    Entry{"kept", "cumplida", "kept"},
    Entry{"broken", "incumplida", "broken"},
    Entry{"cancelled", "cancelada", "cancelled"},
    Entry{"resolved", "resuelta", "resolved"},
    Entry{"paid", "pagada", "paid"},
    Entry{"partially_paid", "abonada", "partially paid"},
    Entry{"replied", "respondido", "replied"},
    // Customer kinds and timeline sources.
    Entry{"company", "empresa", "company"},
    Entry{"person", "persona", "person"},
    Entry{"engine", "motor", "engine"},
    Entry{"outbox", "envío", "outbox"},
    Entry{"reply", "respuesta", "reply"},
    Entry{"note", "nota", "note"},
    Entry{"opt_out", "pidió no más mensajes", "opted out"},
    // Audit log entities and actions ("promise", "dispute", "message" and
    // "tenant" are worded elsewhere in this table or below).
    Entry{"customer", "cliente", "customer"},
    Entry{"invoice", "factura", "invoice"},
    Entry{"payment", "pago", "payment"},
    Entry{"credit_note", "nota crédito", "credit note"},
    Entry{"allocation", "aplicación", "allocation"},
    Entry{"contact_point", "punto de contacto", "contact point"},
    Entry{"task", "tarea", "task"},
    Entry{"tenant", "empresa", "tenant"},
    Entry{"user", "usuario", "user"},
    Entry{"api_key", "clave de API", "API key"},
    Entry{"run", "corrida", "run"},
    Entry{"channel", "canal", "channel"},
    Entry{"template_override", "plantilla propia", "template override"},
    Entry{"strategy", "estrategia", "strategy"},
    Entry{"webhook_endpoint", "destino de webhook", "webhook endpoint"},
    Entry{"webhook_delivery", "envío de webhook", "webhook delivery"},
    Entry{"dispute_reason", "motivo de disputa", "dispute reason"},
    Entry{"create", "alta", "create"},
    Entry{"update", "cambio", "update"},
    Entry{"delete", "baja", "delete"},
    // Engine log kinds.
    Entry{"planned", "planeado", "planned"},
    Entry{"deferred", "aplazado", "deferred"},
    Entry{"skipped", "omitido", "skipped"},
    // Behavioural segments.
    Entry{"habitual", "habitual", "habitual"},
    Entry{"occasional", "ocasional", "occasional"},
    Entry{"high_risk", "alto riesgo", "high risk"},
    Entry{"new", "nuevo", "new"},
    // Stages of the default strategy.
    Entry{"before_due_7", "7 días antes del vencimiento", "7 days before due"},
    Entry{"before_due_1", "1 día antes del vencimiento", "1 day before due"},
    Entry{"before_due", "antes del vencimiento", "before due"},
    Entry{"due_today", "vence hoy", "due today"},
    Entry{"overdue_1", "1 día de mora", "1 day overdue"},
    Entry{"overdue_7", "7 días de mora", "7 days overdue"},
    Entry{"overdue_15", "15 días de mora", "15 days overdue"},
    Entry{"overdue_30", "30 días de mora", "30 days overdue"},
    Entry{"overdue_60", "60 días de mora", "60 days overdue"},
    Entry{"overdue_90", "90 días de mora", "90 days overdue"},
    Entry{"legal", "cobro jurídico", "legal"},
    Entry{"broken_promise", "promesa incumplida", "broken promise"},
    // Actions and channels.
    Entry{"message", "mensaje", "message"},
    Entry{"call_task", "llamada", "call task"},
    Entry{"letter", "carta", "letter"},
    Entry{"credit_hold", "bloqueo de crédito", "credit hold"},
    Entry{"escalate", "escalar", "escalate"},
    Entry{"email", "correo", "email"},
    Entry{"sms", "SMS", "SMS"},
    Entry{"whatsapp", "WhatsApp", "WhatsApp"},
    Entry{"call", "llamada", "call"},
    // Call outcomes.
    Entry{"contacted", "contactado", "contacted"},
    Entry{"no_answer", "no contestó", "no answer"},
    Entry{"wrong_number", "número equivocado", "wrong number"},
    Entry{"promise", "promesa de pago", "promise to pay"},
    Entry{"refused", "se negó a pagar", "refused"},
    Entry{"dispute", "disputa", "dispute"},
    // Why the engine did not act (engine_log codes).
    Entry{"nothing_due", "nada por cobrar", "nothing due"},
    Entry{"promise_holds", "una promesa de pago vigente", "a promise to pay holds"},
    Entry{"already_done", "ya se hizo", "already done"},
    Entry{"conditions_not_met", "no cumple las condiciones de la etapa", "the stage's conditions do not hold"},
    Entry{"no_consented_channel", "sin canal autorizado", "no consented channel"},
    Entry{"all_disputed", "todas las facturas en disputa", "every invoice disputed"},
    Entry{"all_in_payment_plan", "todas las facturas en un acuerdo de pago", "every invoice in a payment plan"},
    Entry{"all_with_agency_or_court", "todas las facturas con una agencia o en proceso judicial",
          "every invoice with an agency or in court"},
    Entry{"all_held", "todas las facturas retenidas (disputa, acuerdo de pago, agencia o proceso judicial)",
          "every invoice held (dispute, payment plan, agency or court)"},
    Entry{"outside_hours", "fuera del horario permitido", "outside contact hours"},
    Entry{"debtor_quiet_hours", "fuera del horario elegido por el deudor", "outside the debtor's chosen hours"},
    Entry{"closed_day", "día no hábil para contactar", "a day without contact"},
    Entry{"holiday", "día festivo", "public holiday"},
    Entry{"frequency_cap", "límite de contactos alcanzado", "contact cap reached"},
    Entry{"minimum_gap", "muy pronto tras el último contacto", "too soon after the last contact"},
    Entry{"after_contact", "muy pronto tras una conversación", "too soon after a conversation"},
    Entry{"channel_switch", "cambio de canal no permitido aún", "channel switch not allowed yet"},
    Entry{"channel_not_authorised", "canal no autorizado por el deudor", "channel not authorised by the debtor"},
    Entry{"channel_forbidden", "canal prohibido por la ley", "channel forbidden by law"},
    Entry{"third_party", "contacto a terceros prohibido", "contact with third parties forbidden"},
    Entry{"legal_proceedings", "deudor en proceso judicial o concursal", "debtor in legal proceedings"},
    Entry{"unknown_time_zone", "zona horaria desconocida", "unknown time zone"},
    Entry{"stage_over", "la etapa terminó", "the stage is over"},
};

}  // namespace

std::string Label(std::string_view code, Language language) {
  for (const Entry& entry : kLabels) {
    if (entry.code == code) return std::string(language == Language::kSpanish ? entry.spanish : entry.english);
  }
  return std::string(code);
}

}  // namespace cartera
