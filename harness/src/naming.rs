//! One spelling for every enum's names: serde's. `Display` for the enums in
//! reports (error kinds, schemes, finding kinds) goes through here, so a
//! message never names a value differently from the file that stores it.

use serde::Serialize;

/// The name serde gives a unit enum variant.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Implements `Display` through [`serde_name`].
macro_rules! display_as_serde {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::naming::serde_name(self))
            }
        }
    )*};
}
pub(crate) use display_as_serde;
