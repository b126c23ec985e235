// The inline JudgePort passes the contract (the thread's runs in test/gateway/judge-thread.int.test.ts).
import { inlineJudge } from './judges.js';
import { judgePortContract } from './judges.case.js';

judgePortContract('inline', async () => ({ port: inlineJudge(), close: async () => undefined }));
