//! [`AwsSettings`]: where AWS is (a profile and region, or a local endpoint such as moto).

use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_smithy_http_client::Builder;

/// The environment variable [`AwsSettings::from_env`] reads a custom endpoint from (the AWS
/// CLI's and SDKs' own name for it).
pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL";

/// Where the AWS clients connect: by default the standard chain (environment, `~/.aws`
/// profile, instance role) and the region it names; each field overrides one part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// A custom endpoint for every service, e.g. `http://127.0.0.1:5000` for moto.
    pub endpoint_url: Option<String>,
    /// The region (else `AWS_REGION` or the profile's).
    pub region: Option<String>,
    /// The `~/.aws/config` profile (else `AWS_PROFILE` or `default`).
    pub profile: Option<String>,
}

/// Why the AWS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The endpoint is HTTPS (real AWS) but the crate was built without TLS.
    #[error(
        "{endpoint} needs TLS, but event-runtime-aws was built without its `https` feature; \
         rebuild with `--features event-runtime-aws/https` (or point --endpoint-url at an http:// server such as moto)"
    )]
    NeedsTls {
        /// The endpoint, or "AWS" for the default endpoints.
        endpoint: String,
    },
    /// No region was given or found.
    #[error("no AWS region: pass one (--region), set AWS_REGION, or name it in the profile")]
    NoRegion,
}

impl AwsSettings {
    /// Settings for a local endpoint such as moto: that endpoint, the given region.
    pub fn local(endpoint_url: impl Into<String>, region: impl Into<String>) -> Self {
        Self { endpoint_url: Some(endpoint_url.into()), region: Some(region.into()), profile: None }
    }

    /// Default settings with the endpoint from `AWS_ENDPOINT_URL`, if set.
    pub fn from_env() -> Self {
        Self {
            endpoint_url: std::env::var(ENDPOINT_ENV).ok().filter(|url| !url.is_empty()),
            ..Self::default()
        }
    }

    /// The SDK configuration: credentials and region from the standard chain (and profile),
    /// the endpoint if set, and an HTTP client that speaks plain http always and TLS only with
    /// the crate's `https` feature.
    pub async fn load(&self) -> Result<SdkConfig, SettingsError> {
        let config = self.loader()?.load().await;
        if config.region().is_none() {
            return Err(SettingsError::NoRegion);
        }
        Ok(config)
    }

    /// The configuration loader [`AwsSettings::load`] uses, to adjust further (e.g. fixed
    /// credentials for a local server) before loading.
    pub fn loader(&self) -> Result<ConfigLoader, SettingsError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client(self)?);
        if let Some(endpoint) = &self.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        Ok(loader)
    }
}

#[cfg(feature = "https")]
fn http_client(
    _settings: &AwsSettings,
) -> Result<aws_sdk_eventbridge::config::SharedHttpClient, SettingsError> {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    // An HTTPS connector also connects to http:// endpoints.
    Ok(Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https())
}

#[cfg(not(feature = "https"))]
fn http_client(
    settings: &AwsSettings,
) -> Result<aws_sdk_eventbridge::config::SharedHttpClient, SettingsError> {
    match &settings.endpoint_url {
        Some(endpoint) if endpoint.starts_with("http://") => Ok(Builder::new().build_http()),
        Some(endpoint) => Err(SettingsError::NeedsTls { endpoint: endpoint.clone() }),
        None => Err(SettingsError::NeedsTls { endpoint: "AWS".to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "https"))]
    #[test]
    fn without_https_only_plain_http_endpoints_are_accepted() {
        assert!(http_client(&AwsSettings::local("http://127.0.0.1:5000", "us-east-1")).is_ok());
        let error = http_client(&AwsSettings::default()).unwrap_err();
        assert!(error.to_string().contains("`https` feature"), "{error}");
        assert!(http_client(&AwsSettings::local("https://events.example", "us-east-1")).is_err());
    }
}
