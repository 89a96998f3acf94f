/** The local evaluator as a query backend: the same KQL the cloud runs, over fixture tables. */
import type { QueryRequest, QueryResult } from '../../core/model.js';
import type { Clock, QueryBackend } from '../../core/ports.js';
import { withTableCache, type DataDirProvider, type TableCacheOptions } from '../../data/index.js';
import { evaluate, type TableProvider } from '../../kql/index.js';

export class LocalKqlBackend implements QueryBackend {
  readonly name = 'local';
  private readonly tables: TableProvider;

  /**
   * A run sends many queries over the same tables (the hunt, a context query per batch of hit
   * devices, the incident's device query): each data file is parsed once and its rows kept for
   * the backend's lifetime, until the file changes.
   */
  constructor(
    tables: DataDirProvider,
    private readonly clock: Clock,
    cache: TableCacheOptions = {},
  ) {
    this.tables = withTableCache(tables, cache);
  }

  async run(request: QueryRequest): Promise<QueryResult> {
    return evaluate(request.query, { tables: this.tables, now: this.clock.now() });
  }
}
