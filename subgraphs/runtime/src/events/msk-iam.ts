// Amazon MSK's IAM authentication for the Kafka adapter: SASL/OAUTHBEARER over TLS, where the
// bearer token is a SigV4-presigned `kafka-cluster:Connect` request for the cluster's region,
// made offline by aws-msk-iam-sasl-signer-js from the credentials the SDK's default chain finds
// (IRSA's web identity on EKS). librdkafka asks for a new token at 80% of the last one's lifetime,
// so tokens (valid 15 minutes) are replaced before they expire.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';

type AwsCredentialIdentityProvider = Parameters<typeof generateAuthTokenFromCredentialsProvider>[0]['awsCredentialsProvider'];

export interface MskIamOptions {
  /** The cluster's AWS region (AWS_REGION). */
  region: string;
  /** Where credentials come from; default the SDK's default chain. */
  credentials?: AwsCredentialIdentityProvider;
}

/** A token as librdkafka's refresh callback hands it over: the value, its expiry (ms since the epoch), a principal. */
export interface OAuthBearerToken {
  tokenValue: string;
  /** When it expires, in milliseconds since the epoch. */
  lifetime: number;
  /** librdkafka requires one; MSK identifies the caller by the signed credentials instead. */
  principal: string;
}

/** The refresh callback: a fresh MSK IAM token each time librdkafka asks. */
export function mskIamTokenRefresh({ region, credentials = fromNodeProviderChain() }: MskIamOptions): () => Promise<OAuthBearerToken> {
  return async () => {
    const { token, expiryTime } = await generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: credentials });
    return { tokenValue: token, lifetime: expiryTime, principal: 'aws-msk-iam' };
  };
}
