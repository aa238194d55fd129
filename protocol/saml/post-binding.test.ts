// The HTTP-POST binding's form field (bindings 3.5.4): base64 with whitespace allowed, bounded before decoding.
import { describe, expect, it } from 'vitest';
import { decodePostField } from './post-binding.ts';

describe('decodePostField', () => {
  it('decodes base64, ignoring the line breaks some IdPs insert', () => {
    const encoded = Buffer.from('<samlp:Response/>').toString('base64');
    expect(decodePostField(`${encoded.slice(0, 8)}\r\n${encoded.slice(8)}`)?.toString()).toBe(
      '<samlp:Response/>',
    );
  });

  it('is undefined for empty, non-base64 and oversized fields', () => {
    expect(decodePostField('')).toBeUndefined();
    expect(decodePostField('not base64!')).toBeUndefined();
    expect(decodePostField(Buffer.alloc(31).toString('base64'), 30)).toBeUndefined();
    expect(decodePostField(Buffer.alloc(32).toString('base64'), 31)).toBeUndefined();
    expect(decodePostField(Buffer.alloc(30).toString('base64'), 30)?.length).toBe(30);
  });
});
