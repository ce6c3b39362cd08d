// The shape of `licences.json`, written at build time by `ui/licences.ts`
// and read by the About screen.

export interface ThirdPartyComponent {
  kind: 'rust' | 'npm' | 'font';
  name: string;
  version: string;
  /** The licence as the component states it (an SPDX expression where there is one). */
  licence: string;
  /** Where the component's source lives. */
  home: string;
  /** Indexes into `LicenceNotices.texts`: the licence files the component ships. */
  texts: number[];
}

export interface LicenceNotices {
  components: ThirdPartyComponent[];
  /** Each distinct licence text once. */
  texts: string[];
}

export async function loadLicenceNotices(): Promise<LicenceNotices> {
  const response = await fetch('/licences.json');
  if (!response.ok) throw new Error(`licences.json: ${response.status}`);
  return (await response.json()) as LicenceNotices;
}
