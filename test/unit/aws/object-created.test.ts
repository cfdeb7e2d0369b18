/** One shape for "an object was created", from EventBridge, S3 notifications and s3rver. */
import { describe, expect, it } from 'vitest';
import { fromEventBridge, fromS3Notification } from '../../../functions/aws/object-created.ts';
import { normaliseTapeObject } from '../../../functions/pipeline/tape-object.ts';

describe('object-created', () => {
  it('reads an EventBridge Object Created event', () => {
    expect(fromEventBridge({
      'detail-type': 'Object Created', time: '2026-11-25T10:00:00Z',
      detail: { bucket: { name: 'b' }, object: { key: 'incoming/a/d/t.csv', size: 10, etag: 'abc', 'version-id': 'v1', sequencer: '00A' } },
    })).toEqual({ bucket: 'b', key: 'incoming/a/d/t.csv', versionId: 'v1', eTag: 'abc', size: 10, sequencer: '00A', eventTime: '2026-11-25T10:00:00Z' });
  });

  it('decodes AWS notification keys, not s3rver ones; keeps only ObjectCreated:* under the prefix', () => {
    const record = (eventName: string, key: string) => ({ eventName, eventTime: 't', s3: { bucket: { name: 'b' }, object: { key, eTag: '"e"' } } });
    const records = [record('ObjectCreated:Put', 'incoming/a/d/my+tape%28v2%29.csv'), record('ObjectRemoved:Delete', 'incoming/a/d/x.csv'), record('ObjectCreated:Post', 'reports/x.json')];
    expect(fromS3Notification(records, { urlEncodedKeys: true, prefix: 'incoming/' }).map((o) => o.key)).toEqual(['incoming/a/d/my tape(v2).csv']);
    expect(fromS3Notification(records, { urlEncodedKeys: false }).map((o) => [o.key, o.eTag])).toEqual([['incoming/a/d/my+tape%28v2%29.csv', 'e'], ['reports/x.json', 'e']]);
  });

  it('reads empty fields from an input transformer as absent', () => {
    expect(normaliseTapeObject({ bucket: 'b', key: 'k', versionId: '', eTag: '', size: null, sequencer: '', eventTime: '' }))
      .toEqual({ bucket: 'b', key: 'k', versionId: null, eTag: null, size: null, sequencer: null, eventTime: null });
  });
});
