// The portal's offer card (docs/offers.md), Spanish first; every key in both.
export const offerMessages = {
  es: {
    'offer.title': 'Una oferta para usted',
    'offer.type.early_payment_discount': 'Descuento por pronto pago',
    'offer.type.waiver': 'Condonación de intereses y cargos',
    'offer.type.settlement': 'Acuerdo de pago con descuento',
    'offer.pay': 'Pague {due} a más tardar el {date}',
    'offer.forgiven': 'y {company} le descuenta {forgiven} ({percent} %) de su saldo de {balance}.',
    'offer.invoices': 'Facturas: {numbers}',
    'offer.accept': 'Acepto esta oferta',
    'offer.accepting': 'Enviando…',
    'offer.accepted': 'Oferta aceptada. Pague {due} a más tardar el {date}: al recibir el pago el descuento se aplica solo.',
    'offer.acceptedBadge': 'Aceptada',
  },
  en: {
    'offer.title': 'An offer for you',
    'offer.type.early_payment_discount': 'Early-payment discount',
    'offer.type.waiver': 'Interest and fee waiver',
    'offer.type.settlement': 'Settlement with a discount',
    'offer.pay': 'Pay {due} by {date}',
    'offer.forgiven': 'and {company} takes {forgiven} ({percent} %) off your balance of {balance}.',
    'offer.invoices': 'Invoices: {numbers}',
    'offer.accept': 'I accept this offer',
    'offer.accepting': 'Sending…',
    'offer.accepted': 'Offer accepted. Pay {due} by {date}: once the payment arrives the discount is applied by itself.',
    'offer.acceptedBadge': 'Accepted',
  },
};
