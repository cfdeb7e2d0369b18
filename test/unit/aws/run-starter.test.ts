/** The intake's Step Functions adapter: one bounded ListExecutions, StartExecution, a redelivery's name clash as 'exists'. */
import { ListExecutionsCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { StepFunctionsRunStarter } from '../../../functions/aws/run-starter.ts';

function fakeClient(answer: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  const client = { send: async (command: unknown) => { sent.push(command); return answer(command); } } as unknown as SFNClient;
  return { client, sent };
}

describe('StepFunctionsRunStarter', () => {
  const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline';

  it('counts running executions with one page of at most the cap', async () => {
    const { client, sent } = fakeClient(() => ({ executions: [{}, {}, {}], nextToken: 'more' }));
    expect(await new StepFunctionsRunStarter({ client, stateMachineArn: arn }).running(3)).toBe(3);
    expect(sent).toHaveLength(1);
    expect((sent[0] as ListExecutionsCommand).input).toEqual({ stateMachineArn: arn, statusFilter: 'RUNNING', maxResults: 3 });
  });

  it('starts a named execution; a name already used answers exists, other errors are thrown', async () => {
    const { client, sent } = fakeClient((c) => {
      const name = (c as StartExecutionCommand).input.name;
      if (name === 'old') throw Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' });
      if (name === 'busy') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { executionArn: 'x' };
    });
    const starter = new StepFunctionsRunStarter({ client, stateMachineArn: arn });
    expect(await starter.start('new', '{"object":{}}')).toBe('started');
    expect((sent[0] as StartExecutionCommand).input).toEqual({ stateMachineArn: arn, name: 'new', input: '{"object":{}}' });
    expect(await starter.start('old', '{}')).toBe('exists');
    await expect(starter.start('busy', '{}')).rejects.toThrow(/Rate exceeded/);
  });
});
