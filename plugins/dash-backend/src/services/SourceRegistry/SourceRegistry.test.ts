import { SignalSource } from '@dash-suite/plugin-dash-node';
import { SourceRegistry } from './SourceRegistry';

const source = (id: string) => ({ id, title: id } as SignalSource);

describe('SourceRegistry', () => {
  it('lists the sources in the order they were added', () => {
    const registry = new SourceRegistry();
    registry.addSource(source('github'));
    registry.addSource(source('pager-duty-2'));
    expect(registry.list().map(s => s.id)).toEqual(['github', 'pager-duty-2']);
  });

  it.each(['GitHub', 'git hub', 'git_hub', '', 'changes'])(
    'refuses the id %j',
    id => {
      const registry = new SourceRegistry();
      expect(() => registry.addSource(source(id))).toThrow(
        `Invalid DASH source id '${id}': use lower-case letters, digits and dashes, not 'changes'`,
      );
      expect(registry.list()).toEqual([]);
    },
  );

  it('refuses a second source with the same id', () => {
    const registry = new SourceRegistry();
    registry.addSource(source('github'));
    expect(() => registry.addSource(source('github'))).toThrow(
      "A DASH source with id 'github' is already registered",
    );
    expect(registry.list()).toHaveLength(1);
  });
});
