export { SLACK_ENV, type SlackConfig, slackConfig } from './config.js';
export {
  SLACK_ERROR_KINDS,
  type SlackErrorInfo,
  type SlackErrorKind,
  slackErrorKind,
  slackErrorOf,
} from './errors.js';
export {
  PostedMessage as SlackPostedMessage,
  SendMessageInput as SlackSendMessageInput,
} from './operations/messages.js';
export { NotifyUserInput as SlackNotifyUserInput } from './operations/notify-user.js';
export { SlackChannel, SlackMessage, SlackUser } from './schemas.js';
export { slack } from './slack.js';
