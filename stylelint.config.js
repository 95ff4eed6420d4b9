// Right to left (docs/rtl.md, decisions/rtl-css-lint.md): the renderer's CSS says start/end, never
// left/right, so the whole screen mirrors under <html dir="rtl"> by itself. Only these rules: the
// CSS is not otherwise restyled by a linter.
/** 4-value shorthands whose 2nd (right) and 4th (left) values differ: physical on one side. */
const UNEVEN_SIDES = '/^[^\\s(),]+\\s+([^\\s(),]+)\\s+[^\\s(),]+\\s+(?!\\1$)[^\\s(),]+$/';

export default {
  rules: {
    'property-disallowed-list': [
      [
        /^(left|right)$/, // inset-inline-start / inset-inline-end
        /-(left|right)(-|$)/, // margin-left, padding-right, border-left-color, border-top-left-radius, scroll-margin-left…
      ],
      { message: 'Physical left/right property: use its logical one (…-inline-start/end, inset-inline-…, border-start-start-radius) (docs/rtl.md)' },
    ],
    'declaration-property-value-disallowed-list': [
      {
        'text-align': ['left', 'right'],
        '/^text-align-last$/': ['left', 'right'],
        float: ['left', 'right'],
        clear: ['left', 'right'],
        '/^(margin|padding|inset|scroll-margin|scroll-padding|border-width|border-style|border-color)$/': [UNEVEN_SIDES],
        // More than one radius names corners physically: border-start-start-radius and friends.
        'border-radius': ['/^\\S+\\s+\\S+/'],
        // A literal horizontal offset does not turn round: calc(Npx * var(--inline-sign)).
        'box-shadow': ['/(^|,)\\s*(inset\\s+)?-?[1-9][\\d.]*(px|em|rem)\\s/'],
        '/^(transform|translate)$/': ['/translateX\\(\\s*-?[1-9]/', '/^-?[1-9][\\d.]*(px|em|rem|%)/'],
        '/^background(-position)?$/': ['/\\b(left|right)\\b/'],
      },
      { message: 'Physical left/right value: write it with start/end, or calc(… * var(--inline-sign)), so it mirrors under dir="rtl" (docs/rtl.md)' },
    ],
  },
};
