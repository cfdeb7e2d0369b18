/**
 * The intake's RunStarter over Step Functions: StartExecution on the pipeline's state machine,
 * and one ListExecutions (RUNNING, at most `atMost` results) to count the runs in flight.
 */
import { ListExecutionsCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { RunStarter } from '../pipeline/intake.ts';

export class StepFunctionsRunStarter implements RunStarter {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string;

  constructor(options: { client: SFNClient; stateMachineArn: string }) {
    this.#client = options.client;
    this.#stateMachineArn = options.stateMachineArn;
  }

  async running(atMost: number): Promise<number> {
    const page = await this.#client.send(new ListExecutionsCommand({
      stateMachineArn: this.#stateMachineArn, statusFilter: 'RUNNING', maxResults: Math.min(Math.max(atMost, 1), 1000),
    }));
    return Math.min(page.executions?.length ?? 0, atMost);
  }

  async start(name: string, input: string): Promise<'started' | 'exists'> {
    try {
      await this.#client.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name, input }));
      return 'started';
    } catch (e) {
      // Same name and input while the first run is still going: Step Functions answers success; once it ended: this error.
      if ((e as { name?: string }).name === 'ExecutionAlreadyExists') return 'exists';
      throw e;
    }
  }
}
