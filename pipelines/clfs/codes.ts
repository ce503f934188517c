/** CLFS indicators: how a code's payment is set. */
export interface ClfsIndicator {
  readonly meaning: string;
  readonly separatePayment: boolean;
}

export const CLFS_INDICATORS: Readonly<Record<string, ClfsIndicator>> = {
  N: { meaning: 'national limitation amount', separatePayment: true },
  L: { meaning: 'priced locally by the Medicare contractor: no national rate', separatePayment: false },
};

export const CLFS_INDICATOR_CODES: ReadonlySet<string> = new Set(Object.keys(CLFS_INDICATORS));
