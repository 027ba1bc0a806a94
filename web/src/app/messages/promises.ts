// Promises to pay in the customer 360: how each settled one ended, the
// payments that kept it, and the customer's promise-kept rate.
export default {
  es: {
    'promises.history': 'Promesas cumplidas e incumplidas',
    'promises.rate': 'Cumplió {kept} de {settled} promesas ({rate}) con fecha entre el {from} y el {to}',
    'promises.rateNone': 'Ninguna promesa con fecha entre el {from} y el {to} se ha resuelto aún',
    'promises.outcome.kept': 'Cumplida',
    'promises.outcome.partially_kept': 'Cumplida en parte',
    'promises.outcome.broken': 'Incumplida',
    'promises.outcome.cancelled': 'Cancelada',
    'promises.line': '{amount} para el {date}',
    'promises.covered': 'Recibido {covered} de {amount}',
    'promises.paidBy': 'Pagos que cuentan',
    'promises.payment': '{date} · pago {id} · {amount}',
    'promises.noPayments': 'Ningún pago llegó a tiempo',
    'promises.loadError': 'No se pudieron cargar las promesas',
  },
  en: {
    'promises.history': 'Promises kept and broken',
    'promises.rate': 'Kept {kept} of {settled} promises ({rate}) dated {from} to {to}',
    'promises.rateNone': 'No promise dated {from} to {to} is settled yet',
    'promises.outcome.kept': 'Kept',
    'promises.outcome.partially_kept': 'Partly kept',
    'promises.outcome.broken': 'Broken',
    'promises.outcome.cancelled': 'Cancelled',
    'promises.line': '{amount} for {date}',
    'promises.covered': 'Received {covered} of {amount}',
    'promises.paidBy': 'Payments that count',
    'promises.payment': '{date} · payment {id} · {amount}',
    'promises.noPayments': 'No payment arrived in time',
    'promises.loadError': 'The promises could not be loaded',
  },
};
