/** Locality matching (pure) and the price renderer's wording for each kind of result. */
import { describe, expect, it } from 'vitest';
import { describeLocality, matchLocality } from '../../src/payment/index.js';
import type { PricingLocality } from '../../src/index.js';

const CA = (locality: string, mac: string, name: string, counties: string): PricingLocality => ({ mac, state: 'CA', locality, name, counties });
const LOCALITIES: PricingLocality[] = [
  CA('05', '01112', 'SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY)', 'SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO CNTY/ALAMEDA/CONTR COSTA CNTY/SAN MATEO): SAN FRANCISCO/ALAMEDA/CONTRA COSTA/SAN MATEO'),
  CA('52', '01112', 'SAN FRANCISCO-OAKLAND-BERKELEY (MARIN CNTY)', 'SAN FRANCISCO-OAKLAND-BERKELEY (MARIN CNTY): MARIN'),
  CA('75', '01112', 'REST OF CALIFORNIA', 'REST OF STATE: ALL OTHER COUNTIES'),
  { mac: '05302', state: 'MO', locality: '99', name: 'REST OF MISSOURI', counties: 'REST OF STATE*: ALL OTHER COUNTIES' },
  // 2026: one MAC and locality for two states
  { mac: '05102', state: 'CT', locality: '00', name: 'CONNECTICUT', counties: '' },
  { mac: '05102', state: 'IA', locality: '00', name: 'IOWA', counties: '' },
];

describe('matchLocality', () => {
  it('MAC-LOCALITY and STATE-LOCALITY, with the locality zero-padded', () => {
    expect(matchLocality('01112-05', LOCALITIES)).toMatchObject({ kind: 'one', locality: { locality: '05' } });
    expect(matchLocality('ca-5', LOCALITIES)).toMatchObject({ kind: 'one', locality: { locality: '05' } });
    expect(matchLocality('01112-99', LOCALITIES)).toEqual({ kind: 'none' });
  });

  it('a MAC-LOCALITY that stands for two states is listed, not guessed', () => {
    const match = matchLocality('05102-00', LOCALITIES);
    expect(match.kind).toBe('several');
    expect(match.kind === 'several' && match.localities.map((l) => l.state)).toEqual(['CT', 'IA']);
    expect(matchLocality('IA-00', LOCALITIES)).toMatchObject({ kind: 'one', locality: { state: 'IA' } });
  });

  it('a name in two localities, but a whole county of one: that one', () => {
    expect(matchLocality('san francisco', LOCALITIES)).toMatchObject({ kind: 'one', locality: { locality: '05' } });
    expect(matchLocality('  Marin ', LOCALITIES)).toMatchObject({ kind: 'one', locality: { locality: '52' } });
    expect(matchLocality('oakland', LOCALITIES)).toMatchObject({ kind: 'several' });
    const rest = matchLocality('rest of', LOCALITIES);
    expect(rest.kind === 'several' && rest.localities.map(describeLocality)).toEqual([
      '01112-75  CA-75  REST OF CALIFORNIA',
      '05302-99  MO-99  REST OF MISSOURI',
    ]);
    expect(matchLocality('atlantis', LOCALITIES)).toEqual({ kind: 'none' });
  });

  it('a county named only in a locality name\'s parentheses counts as a whole county: two of them are listed, not one guessed', () => {
    // RVU25D as CMS wrote it: LOCCO has "ORAGNGE CNTY" for CA-18, the GPCI name "ORANGE CNTY".
    const real: PricingLocality[] = [
      CA('18', '01182', 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES/ORANGE CNTY)', 'LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES CNTY): LOS ANGELES /ORAGNGE CNTY'),
      { mac: '13202', state: 'NY', locality: '03', name: 'POUGHKPSIE/N NYC SUBURBS', counties: 'POUGHKPSIE/N NYC SUBURBS: COLUMBIA, DELAWARE, DUTCHESS, GREENE, ORANGE, PUTNAM, SULLIVAN AND ULSTER' },
      { mac: '05302', state: 'MO', locality: '01', name: 'METROPOLITAN ST. LOUIS', counties: 'METROPOLITAN ST. LOUIS: JEFFERSON, ST. CHARLES, ST. LOUIS AND ST. LOUIS CITY' },
      { mac: '06102', state: 'IL', locality: '12', name: 'EAST ST. LOUIS', counties: 'EAST ST. LOUIS: BOND, CALHOUN, CLINTON, JERSEY, MACOUPIN, MADISON, MONROE, MONTGOMERY, RANDOLPH, ST. CLAIR AND WASHINGTON' },
    ];
    const orange = matchLocality('orange', real);
    expect(orange.kind === 'several' && orange.localities.map((l) => `${l.state}-${l.locality}`)).toEqual(['CA-18', 'NY-03']);
    expect(matchLocality('ulster', real)).toMatchObject({ kind: 'one', locality: { state: 'NY' } });
    // "St. Louis" is a county of MO-01 (listed as "ST. LOUIS AND ST. LOUIS CITY"), and in IL-12's name only.
    expect(matchLocality('st. louis', real)).toMatchObject({ kind: 'one', locality: { state: 'MO', locality: '01' } });
    expect(matchLocality('los angeles', real)).toMatchObject({ kind: 'one', locality: { locality: '18' } });
    expect(matchLocality('   ', LOCALITIES)).toEqual({ kind: 'none' });
  });
});
