//! The plugin side of the ABI: the [`Extractor`] trait and the functions the
//! [`export_plugin!`](crate::export_plugin) macro instantiates inside the
//! plugin library (so every allocation and free happens in the plugin's own
//! copy of the allocator).

use crate::abi::{OutBuf, Status, StrRef, STATUS_ERROR, STATUS_OK, STATUS_PANIC};
use crate::{Document, ErrorPayload, Mention, Request, Response};
use std::any::Any;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// An extractor with state built from a JSON config.
///
/// Simple extractors do not need this: pass a plain function to
/// `export_plugin!` with `extract: my_fn`.
pub trait Extractor: Send + Sync + Sized + 'static {
    /// Build an instance from the plugin config (`{}` when none is given).
    fn new(config: &serde_json::Value) -> Result<Self, String>;
    /// Extract every mention from one document.
    fn extract(&self, doc: &Document<'_>) -> Result<Vec<Mention>, String>;
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic with a non-string payload".to_string()
    }
}

fn into_out_buf(mut bytes: Vec<u8>) -> OutBuf {
    bytes.shrink_to_fit();
    let mut bytes = std::mem::ManuallyDrop::new(bytes);
    OutBuf {
        ptr: bytes.as_mut_ptr(),
        len: bytes.len(),
        cap: bytes.capacity(),
    }
}

fn error_buf(message: String) -> OutBuf {
    let payload = ErrorPayload { error: message };
    into_out_buf(serde_json::to_vec(&payload).unwrap_or_else(|_| b"{\"error\":\"unprintable error\"}".to_vec()))
}

/// Runs `body` with panics caught, writing its result or error to `out`.
///
/// # Safety
/// `out` must be valid for writes.
unsafe fn guarded(out: *mut OutBuf, body: impl FnOnce() -> Result<Vec<u8>, String>) -> Status {
    let (status, buf) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(bytes)) => (STATUS_OK, into_out_buf(bytes)),
        Ok(Err(message)) => (STATUS_ERROR, error_buf(message)),
        Err(payload) => (STATUS_PANIC, error_buf(panic_message(&*payload))),
    };
    if !out.is_null() {
        out.write(buf);
    }
    status
}

/// # Safety
/// Called only through the descriptor, with the ABI's pointer contracts.
#[doc(hidden)]
pub unsafe fn create<E: Extractor>(config: StrRef, out_instance: *mut *mut c_void, out_error: *mut OutBuf) -> Status {
    let mut handle: *mut c_void = std::ptr::null_mut();
    let status = guarded(out_error, || {
        let bytes = config.as_bytes();
        let config: serde_json::Value = if bytes.is_empty() {
            serde_json::Value::Object(Default::default())
        } else {
            serde_json::from_slice(bytes).map_err(|e| format!("config is not valid JSON: {e}"))?
        };
        let instance = E::new(&config)?;
        handle = Box::into_raw(Box::new(instance)).cast();
        Ok(Vec::new())
    });
    if !out_instance.is_null() {
        out_instance.write(handle);
    }
    status
}

/// # Safety
/// `instance` must come from `create::<E>`; see [`create`].
#[doc(hidden)]
pub unsafe fn extract<E: Extractor>(instance: *mut c_void, request: StrRef, out: *mut OutBuf) -> Status {
    guarded(out, || {
        let instance = (instance as *const E)
            .as_ref()
            .ok_or_else(|| "null instance handle".to_string())?;
        let request: Request =
            serde_json::from_slice(request.as_bytes()).map_err(|e| format!("request is not valid JSON: {e}"))?;
        let doc = Document {
            id: &request.id,
            text: &request.text,
        };
        let mentions = instance.extract(&doc)?;
        serde_json::to_vec(&Response { mentions: &mentions }).map_err(|e| format!("cannot serialize mentions: {e}"))
    })
}

/// # Safety
/// `buf` must be a buffer this library returned, freed at most once.
#[doc(hidden)]
pub unsafe fn free_buffer(buf: OutBuf) {
    if !buf.ptr.is_null() {
        drop(Vec::from_raw_parts(buf.ptr, buf.len, buf.cap));
    }
}

/// # Safety
/// `instance` must come from `create::<E>` and not be used afterwards.
#[doc(hidden)]
pub unsafe fn destroy<E: Extractor>(instance: *mut c_void) {
    if !instance.is_null() {
        // A panicking Drop must not unwind into the host.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(instance as *mut E))));
    }
}

/// Exports a plugin: the entry symbol, the static descriptor and the four
/// `extern "C"` functions, each body wrapped in `catch_unwind`.
///
/// Two forms: a plain function, or a type implementing [`Extractor`].
///
/// ```ignore
/// extractor_api::export_plugin! {
///     name: "my-extractor",
///     version: env!("CARGO_PKG_VERSION"),
///     fields: [date, percentage],
///     extract: my_extract,            // fn(&Document) -> Vec<Mention>
/// }
/// extractor_api::export_plugin! {
///     name: "stateful",
///     version: "1.0.0",
///     fields: [official],
///     extractor: MyExtractor,         // impl Extractor
///     thread_safe: true,              // optional, default false
/// }
/// ```
#[macro_export]
macro_rules! export_plugin {
    (
        name: $name:expr,
        version: $version:expr,
        fields: [$($field:ident),+ $(,)?],
        extract: $func:path $(,)?
    ) => {
        #[doc(hidden)]
        pub struct __PluginFn;
        impl $crate::Extractor for __PluginFn {
            fn new(_: &$crate::serde_json::Value) -> ::std::result::Result<Self, ::std::string::String> {
                Ok(__PluginFn)
            }
            fn extract(
                &self,
                doc: &$crate::Document<'_>,
            ) -> ::std::result::Result<::std::vec::Vec<$crate::Mention>, ::std::string::String> {
                Ok($func(doc))
            }
        }
        $crate::export_plugin! {
            name: $name, version: $version, fields: [$($field),+],
            extractor: __PluginFn, thread_safe: true
        }
    };
    (
        name: $name:expr,
        version: $version:expr,
        fields: [$($field:ident),+ $(,)?],
        extractor: $ty:ty
        $(, thread_safe: $thread_safe:expr)? $(,)?
    ) => {
        #[doc(hidden)]
        pub mod __plugin_abi {
            use super::*;
            use $crate::abi::{OutBuf, PluginDescriptor, Status, StrRef};
            use ::std::ffi::c_void;

            unsafe extern "C" fn create(config: StrRef, out_instance: *mut *mut c_void, out_error: *mut OutBuf) -> Status {
                $crate::export::create::<$ty>(config, out_instance, out_error)
            }
            unsafe extern "C" fn extract(instance: *mut c_void, request: StrRef, out: *mut OutBuf) -> Status {
                $crate::export::extract::<$ty>(instance, request, out)
            }
            unsafe extern "C" fn free_buffer(buf: OutBuf) {
                $crate::export::free_buffer(buf)
            }
            unsafe extern "C" fn destroy(instance: *mut c_void) {
                $crate::export::destroy::<$ty>(instance)
            }

            const FIELDS: &str = concat!($(stringify!($field), ","),+);
            #[allow(unused_mut)]
            const FLAGS: u64 = {
                let mut thread_safe = false;
                $(thread_safe = $thread_safe;)?
                if thread_safe { $crate::abi::FLAG_THREAD_SAFE } else { 0 }
            };

            static DESCRIPTOR: PluginDescriptor = PluginDescriptor {
                header: $crate::abi::DescriptorHeader {
                    magic: $crate::abi::MAGIC,
                    abi_major: $crate::abi::ABI_MAJOR,
                    abi_minor: $crate::abi::ABI_MINOR,
                    size: ::std::mem::size_of::<PluginDescriptor>() as u64,
                },
                flags: FLAGS,
                name: StrRef::new($name),
                version: StrRef::new($version),
                fields: StrRef::new(FIELDS),
                create,
                extract,
                free_buffer,
                destroy,
            };

            /// The ABI v1 entry point.
            #[no_mangle]
            pub extern "C" fn ie_harness_plugin_v1() -> *const PluginDescriptor {
                &DESCRIPTOR
            }
        }
    };
}
