import { App, Lazy, Stack, Token } from 'aws-cdk-lib';
import {
  LeanStackValidationError, checkNotBoth, checkOneOf, checkPattern, checkRange, checkRequired, describeValue, invalid,
} from '../../src/private/validate';

describe('validation helper', () => {
  const stack = new Stack(new App(), 'MyStack');

  test('messages start with the construct path and name the prop, the value and what is allowed', () => {
    expect(() => invalid(stack, 'cpu', 300, 'one of 256, 512')).toThrow('[MyStack] `cpu` must be one of 256, 512, got: 300');
    expect(() => invalid(stack, 'cpu', 300, 'x')).toThrow(LeanStackValidationError);
  });

  test('describeValue quotes strings and renders other values as JSON', () => {
    expect(describeValue('a')).toBe("'a'");
    expect(describeValue(3)).toBe('3');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });

  describe('checkRange', () => {
    test('accepts values within bounds and skips undefined', () => {
      expect(() => checkRange(stack, 'n', 5, { min: 1, max: 10 })).not.toThrow();
      expect(() => checkRange(stack, 'n', undefined, { min: 1, max: 10 })).not.toThrow();
    });
    test('rejects a value below the minimum', () => {
      expect(() => checkRange(stack, 'backupRetention', -1, { min: 0, max: 35, integer: true })).toThrow(
        '`backupRetention` must be an integer between 0 and 35, got: -1',
      );
    });
    test('rejects a value above the maximum', () => {
      expect(() => checkRange(stack, 'n', 36, { max: 35 })).toThrow('`n` must be a number of at most 35, got: 36');
    });
    test('rejects a fraction where an integer is required', () => {
      expect(() => checkRange(stack, 'n', 1.5, { min: 1, integer: true })).toThrow('`n` must be an integer of at least 1, got: 1.5');
    });
    test('skips unresolved tokens', () => {
      const token = Token.asNumber(Lazy.number({ produce: () => -100 }));
      expect(() => checkRange(stack, 'n', token, { min: 0 })).not.toThrow();
    });
  });

  describe('checkOneOf', () => {
    test('accepts an allowed value', () => {
      expect(() => checkOneOf(stack, 'cpu', 256, [256, 512])).not.toThrow();
    });
    test('rejects any other value', () => {
      expect(() => checkOneOf(stack, 'cpu', 300, [256, 512])).toThrow('`cpu` must be one of 256, 512, got: 300');
    });
    test('skips unresolved tokens', () => {
      expect(() => checkOneOf(stack, 'name', Lazy.string({ produce: () => 'x' }), ['a'])).not.toThrow();
    });
  });

  describe('checkPattern', () => {
    test('accepts a matching value', () => {
      expect(() => checkPattern(stack, 'instanceClass', 'db.t4g.micro', /^db\.[a-z0-9]+\.[a-z0-9]+$/, 'of the form db.x.y')).not.toThrow();
    });
    test('rejects a value that does not match, describing the pattern in words', () => {
      expect(() => checkPattern(stack, 'instanceClass', 't4g.micro', /^db\.[a-z0-9]+\.[a-z0-9]+$/, 'of the form db.x.y')).toThrow(
        "`instanceClass` must be of the form db.x.y, got: 't4g.micro'",
      );
    });
  });

  describe('checkNotBoth', () => {
    test('accepts one or none', () => {
      expect(() => checkNotBoth(stack, 'bucket', 'b', 'bucketProps', undefined)).not.toThrow();
      expect(() => checkNotBoth(stack, 'bucket', undefined, 'bucketProps', undefined)).not.toThrow();
    });
    test('rejects both', () => {
      expect(() => checkNotBoth(stack, 'bucket', 'b', 'bucketProps', {})).toThrow('`bucket` and `bucketProps` cannot both be set; choose one');
    });
  });

  describe('checkRequired', () => {
    test('rejects a missing value with the reason', () => {
      expect(() => checkRequired(stack, 'certificate', undefined, 'for a public ALB')).toThrow(
        '`certificate` is required for a public ALB, got: undefined',
      );
      expect(() => checkRequired(stack, 'changelogPath', '', 'for Liquibase')).toThrow("`changelogPath` is required for Liquibase, got: ''");
    });
    test('accepts a present value', () => {
      expect(() => checkRequired(stack, 'x', 'y', 'because')).not.toThrow();
    });
  });
});
