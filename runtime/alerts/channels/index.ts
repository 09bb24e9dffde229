export { DeliveryError } from './delivery-error'
export { DEFAULT_TIMEOUT_MS } from './http-post'
export {
  createInProcessMailer,
  toMailMessage,
  type InProcessMailer,
  type KeptMail,
  type MailMessage,
  type Mailer,
} from './mailer'
export { createSmtpMailer, type SmtpMailerOptions } from './smtp-mailer'
export {
  sendWebhook,
  signWebhookBody,
  verifyWebhookSignature,
  DEFAULT_TOLERANCE_SECONDS,
  type WebhookCall,
  type WebhookSignatureCheck,
} from './webhook'
export {
  createHttpSmsGateway,
  createInProcessSmsGateway,
  isOptedOut,
  normalizePhone,
  sendSms,
  type HttpSmsGatewayOptions,
  type InProcessSmsGateway,
  type OptOutCheck,
  type SmsGateway,
  type SmsMessage,
} from './sms'
export { type ChatMessage } from './chat-message'
export { buildWecomMessage } from './wecom'
export { buildDingtalkMessage, signDingtalk, signedDingtalkUrl } from './dingtalk'
export { buildFeishuMessage, signFeishu, type FeishuFormat } from './feishu'
export { buildKakaoworkMessage } from './kakaowork'
export { sendChatMessage, CHAT_PROVIDERS, type ChatBot, type ChatProvider } from './send-chat'
export { shouldSend, type ThrottleCheck } from './throttle'
export {
  ALLOW_PRIVATE_ENV,
  allowsPrivateTargets,
  assertPublicTarget,
  assertPublicWebhookUrls,
  isPrivateAddress,
  validatePublicWebhookUrls,
} from './private-targets'
