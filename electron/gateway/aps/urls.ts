/**
 * APS FORT API endpoints (docs/aps-gateway.md §1). paymentApi takes server-to-server JSON; paymentPage
 * is the hosted card page the cardholder's browser (our frame) form-posts to. The confirmation API
 * (seed 003) has no public APS URL: it is configured per merchant, so it is not listed here.
 */
export interface ApsUrls {
  readonly paymentApiUrl: string;
  readonly paymentPageUrl: string;
}

export const APS_SANDBOX_URLS: ApsUrls = Object.freeze({
  paymentApiUrl: 'https://sbpaymentservices.payfort.com/FortAPI/paymentApi',
  paymentPageUrl: 'https://sbcheckout.payfort.com/FortAPI/paymentPage',
});

export const APS_PRODUCTION_URLS: ApsUrls = Object.freeze({
  paymentApiUrl: 'https://paymentservices.payfort.com/FortAPI/paymentApi',
  paymentPageUrl: 'https://checkout.payfort.com/FortAPI/paymentPage',
});
