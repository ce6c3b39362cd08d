// Asks where to save a referral slip and has the core print it, with the
// words of the slip's own language (not necessarily the interface's).
import { save } from '@tauri-apps/plugin-dialog';
import { call } from './api';
import type { AssistanceCategory, Referral } from './generated/bindings';
import type { MessageKey } from './i18n/en';
import { countryNameIn, formatDateIn, tIn } from './i18n/index.svelte';

/** What a person should bring, beyond the slip and an identity document. */
const BRING_FOR: Partial<Record<AssistanceCategory, MessageKey>> = {
  medical: 'slip.bring.medical',
  psychosocial: 'slip.bring.medical',
  legal_consultation: 'slip.bring.legal',
  legal_representation: 'slip.bring.legal',
  documents: 'slip.bring.documents',
};

/** Returns the path written, or null when the person cancelled the dialog. */
export async function printSlip(referral: Referral, lang: string, centreCountry: string): Promise<string | null> {
  const path = await save({
    defaultPath: `${tIn(lang, 'slip.file')}-${referral.reference}.pdf`,
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  });
  if (!path) return null;
  const extra = BRING_FOR[referral.service];
  const partners = await call('partner_list', { query: { text: '', service: null, city: '', include_inactive: true } });
  const partnerCountry = partners.find((p) => p.id === referral.partner_id)?.country ?? '';
  await call('referral_slip', {
    request: {
      referral_id: referral.id,
      language: lang,
      path,
      date: formatDateIn(lang, referral.meta.created_at),
      service: tIn(lang, `category.${referral.service}` as MessageKey),
      urgency: tIn(lang, `priority.${referral.urgency}` as MessageKey),
      shared_data: referral.shared_data.map((s) => tIn(lang, `shared.${s}` as MessageKey)),
      bring: [tIn(lang, 'slip.bring.slip'), tIn(lang, 'slip.bring.id'), ...(extra ? [tIn(lang, extra)] : [])],
      centre_country: countryNameIn(lang, centreCountry),
      partner_country: countryNameIn(lang, partnerCountry),
    },
  });
  return path;
}
