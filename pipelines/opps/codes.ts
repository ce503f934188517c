/**
 * OPPS payment status indicators (Addendum D1 of the OPPS rule), with what each means for a code
 * page. `separatePayment` is false where the hospital outpatient schedule pays nothing for the code
 * on its own: the page must say so in words, never show an amount of 0.
 */
export interface StatusIndicator {
  readonly meaning: string;
  readonly separatePayment: boolean;
}

export const STATUS_INDICATORS: Readonly<Record<string, StatusIndicator>> = {
  A: { meaning: 'paid under a fee schedule other than OPPS', separatePayment: false },
  B: { meaning: 'not paid under OPPS (another code may be payable)', separatePayment: false },
  C: { meaning: 'inpatient only: not paid under OPPS', separatePayment: false },
  D: { meaning: 'discontinued code', separatePayment: false },
  E1: { meaning: 'not covered by Medicare', separatePayment: false },
  E2: { meaning: 'not paid by Medicare when submitted on outpatient claims', separatePayment: false },
  F: { meaning: 'paid at reasonable cost (corneal tissue, CRNA services, some vaccines)', separatePayment: false },
  G: { meaning: 'pass-through drug or biological: paid separately', separatePayment: true },
  H: { meaning: 'pass-through device: paid separately', separatePayment: true },
  H1: { meaning: 'non-opioid device for post-surgical pain relief: paid separately', separatePayment: true },
  J1: { meaning: 'comprehensive APC: paid as one payment with the services on the claim', separatePayment: true },
  J2: { meaning: 'comprehensive observation: paid as one payment when criteria are met', separatePayment: true },
  K: { meaning: 'non-pass-through drug or biological: paid separately', separatePayment: true },
  K1: { meaning: 'non-opioid drug for post-surgical pain relief: paid separately', separatePayment: true },
  L: { meaning: 'influenza or pneumococcal vaccine: paid at reasonable cost', separatePayment: false },
  M: { meaning: 'not billable to the hospital outpatient contractor', separatePayment: false },
  N: { meaning: 'packaged into the payment for other services: no separate payment', separatePayment: false },
  P: { meaning: 'partial hospitalization: paid per diem', separatePayment: true },
  Q1: { meaning: 'conditionally packaged (STV-packaged)', separatePayment: false },
  Q2: { meaning: 'conditionally packaged (T-packaged)', separatePayment: false },
  Q3: { meaning: 'conditionally packaged (composite APC)', separatePayment: false },
  Q4: { meaning: 'conditionally packaged laboratory test', separatePayment: false },
  R: { meaning: 'blood or blood product: paid separately', separatePayment: true },
  S: { meaning: 'significant procedure, not discounted when multiple: paid separately', separatePayment: true },
  T: { meaning: 'significant procedure, multiple-procedure reduction applies: paid separately', separatePayment: true },
  U: { meaning: 'brachytherapy source: paid separately', separatePayment: true },
  V: { meaning: 'clinic or emergency department visit: paid separately', separatePayment: true },
  Y: { meaning: 'non-implantable durable medical equipment: not paid under OPPS', separatePayment: false },
};

export const STATUS_INDICATOR_CODES: ReadonlySet<string> = new Set(Object.keys(STATUS_INDICATORS));
