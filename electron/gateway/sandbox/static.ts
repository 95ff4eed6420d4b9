/**
 * The only JavaScript of the sandbox pages, served from /FortAPI/static/ so the pages work under a
 * CSP without 'unsafe-inline'. Both scripts are conveniences: every page works without them.
 */

/** Card form: groups the card number as typed, inserts the expiry slash, prevents double submit. */
const CARD_FORM_JS = `(function () {
  'use strict';
  var form = document.getElementById('card-form');
  if (!form) return;
  var number = document.getElementById('card_number');
  var expiry = document.getElementById('expiry_date');
  var cvv = document.getElementById('card_security_code');
  function digits(v) { return v.replace(/\\D/g, ''); }
  number.addEventListener('input', function () {
    var d = digits(number.value).slice(0, 19);
    var amex = /^3[47]/.test(d);
    var groups = amex ? [4, 6, 5] : [4, 4, 4, 4, 3];
    var out = [], i = 0;
    for (var g = 0; g < groups.length && i < d.length; g++) { out.push(d.slice(i, i + groups[g])); i += groups[g]; }
    number.value = out.join(' ');
    cvv.maxLength = amex ? 4 : 3;
  });
  expiry.addEventListener('input', function (e) {
    var d = digits(expiry.value).slice(0, 4);
    if (e.inputType && e.inputType.indexOf('delete') === 0) { expiry.value = d.length > 2 ? d.slice(0, 2) + '/' + d.slice(2) : d; return; }
    expiry.value = d.length >= 2 ? d.slice(0, 2) + '/' + d.slice(2) : d;
  });
  cvv.addEventListener('input', function () { cvv.value = digits(cvv.value).slice(0, 4); });
  form.addEventListener('submit', function () {
    var button = form.querySelector('button[type=submit]');
    if (button) { button.disabled = true; button.textContent = 'Please wait…'; }
  });
})();
`;

/** Return page: posts the signed result to the merchant's return_url at once. */
const REDIRECT_JS = `(function () {
  'use strict';
  var form = document.getElementById('return-form');
  if (form) form.submit();
})();
`;

export const STATIC_FILES: Readonly<Record<string, string>> = {
  'card-form.js': CARD_FORM_JS,
  'redirect.js': REDIRECT_JS,
};
