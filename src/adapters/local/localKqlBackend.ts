/** The local evaluator as a query backend: the same KQL the cloud runs, over fixture tables. */
import type { Clock, QueryBackend, QueryRequest, QueryResult } from '../../core/model.js';
import { evaluate, type TableProvider } from '../../kql/index.js';

export class LocalKqlBackend implements QueryBackend {
  readonly name = 'local';

  constructor(
    private readonly tables: TableProvider,
    private readonly clock: Clock,
  ) {}

  async run(request: QueryRequest): Promise<QueryResult> {
    return evaluate(request.query, { tables: this.tables, now: this.clock.now() });
  }
}
