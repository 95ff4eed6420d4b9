import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { focusSoon } from './focus-soon';

// A small stand-in for the DOM (the unit tests run in Node): fields that take focus and fire
// focusin on the document, frames run by hand.
class FakeElement {
  isContentEditable = false;
  constructor(readonly id: string) {}
  matches(selector: string): boolean {
    return selector === `#${this.id}`;
  }
  focus(): void {
    doc.activeElement = this;
    for (const l of doc.listeners.get('focusin') ?? []) l({ target: this });
  }
}
class FakeInput extends FakeElement {}
class FakeButton extends FakeElement {}
type Listener = (e: { target: unknown }) => void;
const doc = {
  body: new FakeElement('body'),
  activeElement: null as FakeElement | null,
  drawn: new Map<string, FakeElement>(),
  listeners: new Map<string, Set<Listener>>(),
  querySelector(selector: string) {
    return this.drawn.get(selector.slice(1)) ?? null;
  },
  addEventListener(type: string, l: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  },
  removeEventListener(type: string, l: Listener) {
    this.listeners.get(type)?.delete(l);
  },
};
let frames: (() => void)[] = [];
const nextFrame = () => {
  const run = frames;
  frames = [];
  for (const f of run) f();
};
const draw = (...els: FakeElement[]) => {
  for (const e of els) doc.drawn.set(e.id, e);
  return els;
};

beforeEach(() => {
  Object.assign(globalThis, {
    document: doc,
    Element: FakeElement,
    HTMLElement: FakeElement,
    HTMLInputElement: FakeInput,
    HTMLTextAreaElement: class {},
    requestAnimationFrame: (f: () => void) => frames.push(f),
  });
  doc.activeElement = doc.body;
  doc.drawn.clear();
  doc.listeners.clear();
  frames = [];
});
afterEach(() => {
  for (const k of ['document', 'Element', 'HTMLElement', 'HTMLInputElement', 'HTMLTextAreaElement', 'requestAnimationFrame']) delete (globalThis as Record<string, unknown>)[k];
});

describe('focusSoon', () => {
  it('focuses the target on the next frame', () => {
    draw(new FakeInput('first'), new FakeInput('other'));
    focusSoon('#first');
    nextFrame();
    expect(doc.activeElement?.id).toBe('first');
  });

  it('waits for a target drawn a few frames later', () => {
    focusSoon('#late');
    nextFrame();
    nextFrame();
    draw(new FakeInput('late'));
    nextFrame();
    expect(doc.activeElement?.id).toBe('late');
  });

  it('leaves the caret in a field it was put in after the shortcut, typed into or not', () => {
    const [, line] = draw(new FakeInput('first'), new FakeInput('line'));
    focusSoon('#first');
    line!.focus();
    nextFrame();
    expect(doc.activeElement?.id).toBe('line');
  });

  it('still moves the caret when the target itself took focus meanwhile, or focus left the field', () => {
    const [first, line, button] = draw(new FakeInput('first'), new FakeInput('line'), new FakeButton('b'));
    focusSoon('#first');
    first!.focus(); // the screen's own autoFocus
    nextFrame();
    expect(doc.activeElement?.id).toBe('first');
    focusSoon('#first');
    line!.focus();
    button!.focus();
    nextFrame();
    expect(doc.activeElement?.id).toBe('first');
  });
});
