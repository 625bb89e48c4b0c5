import {
  startFakeGitHub,
  startFakeJira,
  startFakeSlack,
  startFakeTransactions,
  startFakeZendesk,
} from '@patchbay/testing';

/** The vendor fakes a demo hub talks to, and the env that points every connector at them. */
export interface DemoUpstreams {
  /** Connector env names (as the seeds name them) → loopback fakes and their credentials. */
  env: Record<string, string>;
  /** Where each fake listens, for the banner. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the fake GitHub, Jira, Slack, Zendesk and payments APIs on loopback (the same fakes
 * the tests use, with their seeded data), so every operation can be called without an account.
 */
export async function startDemoUpstreams(): Promise<DemoUpstreams> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const github = await startFakeGitHub();
    started.push(github);
    const jira = await startFakeJira();
    started.push(jira);
    const slack = await startFakeSlack();
    started.push(slack);
    const zendesk = await startFakeZendesk();
    started.push(zendesk);
    const payments = await startFakeTransactions();
    started.push(payments);
    return {
      env: {
        GITHUB_TOKEN: github.token,
        GITHUB_API_URL: github.url,
        JIRA_BASE_URL: jira.url,
        JIRA_USERNAME: jira.email,
        JIRA_API_TOKEN: jira.apiToken,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.apiUrl,
        ZENDESK_BASE_URL: zendesk.url,
        ZENDESK_EMAIL: zendesk.email,
        ZENDESK_API_TOKEN: zendesk.apiToken,
        ZENDESK_CUSTOMER_ID_FIELD_ID: String(zendesk.customerIdFieldId),
        TRANSACTIONS_API_URL: payments.apiUrl,
        TRANSACTIONS_TOKEN_URL: payments.tokenUrl,
        TRANSACTIONS_CLIENT_ID: payments.clientId,
        TRANSACTIONS_CLIENT_SECRET: payments.clientSecret,
        TRANSACTIONS_HMAC_SECRET: payments.hmacSecret,
      },
      urls: {
        github: github.url,
        jira: jira.url,
        slack: slack.apiUrl,
        zendesk: zendesk.url,
        transactions: payments.apiUrl,
      },
      async close() {
        await Promise.allSettled(started.map((fake) => fake.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((fake) => fake.close()));
    throw error;
  }
}
