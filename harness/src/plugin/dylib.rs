//! Loading a plugin library over the C ABI and calling it.
//!
//! Invariants: the descriptor header is checked (magic, major, minor, size)
//! before any function pointer is read; buffers the plugin returns go back to
//! the plugin's own `free_buffer`; libraries are never unloaded.

use super::{Backend, CallError, ErrorKind, Limits, LoadError, PluginInfo};
use extractor_api::abi::{
    DescriptorHeader, EntryFn, OutBuf, PluginDescriptor, StrRef, ABI_MAJOR, ABI_MINOR, ENTRY_SYMBOL, FLAG_THREAD_SAFE,
    MAGIC, STATUS_ERROR, STATUS_OK, STATUS_PANIC,
};
use extractor_api::{ErrorPayload, Field, Request};
use std::ffi::c_void;
use std::path::{Path, PathBuf};

/// The oldest minor version of ABI 1 this harness accepts.
pub const MIN_MINOR: u32 = 0;

/// A validated, loaded library (never unloaded).
pub struct Library {
    pub path: PathBuf,
    pub info: PluginInfo,
    desc: &'static PluginDescriptor,
}

fn utf8(path: &Path, what: &str, s: StrRef) -> Result<String, LoadError> {
    // SAFETY: the descriptor passed its header checks; its strings are
    // 'static in the (never unloaded) library.
    let bytes = unsafe { s.as_bytes() };
    String::from_utf8(bytes.to_vec()).map_err(|_| LoadError::BadDescriptor {
        path: path.to_path_buf(),
        message: format!("{what} is not UTF-8"),
    })
}

impl Library {
    pub fn load(path: &Path) -> Result<Library, LoadError> {
        if !path.exists() {
            return Err(LoadError::NotFound {
                path: path.to_path_buf(),
            });
        }
        // Absolute path: the loader must not search its own paths.
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let bytes = std::fs::read(&path).map_err(|e| LoadError::NotALibrary {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // SAFETY: loading runs the library's initializers; a plugin is trusted
        // native code (see the README's trust model).
        let lib = unsafe { libloading::Library::new(&path) }.map_err(|e| LoadError::NotALibrary {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let symbol = format!("{ENTRY_SYMBOL}\0");
        // SAFETY: the symbol's type is fixed by the ABI.
        let entry: EntryFn = match unsafe { lib.get::<EntryFn>(symbol.as_bytes()) } {
            Ok(f) => *f,
            Err(_) => {
                let other = (2..10).find(|v| {
                    // SAFETY: only probing for presence.
                    unsafe { lib.get::<*const c_void>(format!("ie_harness_plugin_v{v}\0").as_bytes()) }.is_ok()
                });
                let hint = match other {
                    Some(v) => format!(
                        " (it exports ie_harness_plugin_v{v}: built for ABI {v}, this harness speaks {ABI_MAJOR})"
                    ),
                    None => " (is it built with extractor_api::export_plugin!?)".to_string(),
                };
                return Err(LoadError::MissingSymbol {
                    path,
                    symbol: ENTRY_SYMBOL,
                    hint,
                });
            }
        };
        // SAFETY: calling the entry point is the ABI's first step.
        let ptr = unsafe { entry() };
        if ptr.is_null() {
            return Err(LoadError::BadDescriptor {
                path,
                message: "entry point returned a null descriptor".into(),
            });
        }
        // SAFETY: every ABI version starts with this header.
        let header = unsafe { *(ptr as *const DescriptorHeader) };
        if header.magic != MAGIC {
            return Err(LoadError::BadMagic {
                path,
                found: header.magic,
                expected: MAGIC,
            });
        }
        // MIN_MINOR is 0 today; the check stays for when it is raised.
        #[allow(clippy::absurd_extreme_comparisons)]
        let too_old = header.abi_minor < MIN_MINOR;
        if header.abi_major != ABI_MAJOR || too_old {
            return Err(LoadError::AbiMismatch {
                path,
                plugin_major: header.abi_major,
                plugin_minor: header.abi_minor,
                harness_major: ABI_MAJOR,
                harness_minor: ABI_MINOR,
                min_minor: MIN_MINOR,
            });
        }
        if (header.size as usize) < std::mem::size_of::<PluginDescriptor>() {
            return Err(LoadError::BadDescriptor {
                path,
                message: format!(
                    "descriptor size {} is smaller than ABI {ABI_MAJOR}.{MIN_MINOR}'s {}",
                    header.size,
                    std::mem::size_of::<PluginDescriptor>()
                ),
            });
        }
        // SAFETY: header checks passed; the descriptor is static data.
        let desc: &'static PluginDescriptor = unsafe { &*ptr };
        let fields_s = utf8(&path, "fields", desc.fields)?;
        let mut fields = Vec::new();
        for f in fields_s.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            fields.push(f.parse::<Field>().map_err(|e| LoadError::BadDescriptor {
                path: path.clone(),
                message: e.to_string(),
            })?);
        }
        if fields.is_empty() {
            return Err(LoadError::BadDescriptor {
                path,
                message: "the descriptor claims no fields (it must name at least one)".into(),
            });
        }
        let info = PluginInfo {
            name: utf8(&path, "name", desc.name)?,
            version: utf8(&path, "version", desc.version)?,
            kind: "dylib".into(),
            target: path.display().to_string(),
            sha256: crate::digest::sha256_hex(&bytes),
            abi: format!("{}.{}", header.abi_major, header.abi_minor),
            fields,
            thread_safe: desc.flags & FLAG_THREAD_SAFE != 0,
        };
        // Never unload: thread-local destructors and dangling pointers make
        // dlclose unsafe.
        std::mem::forget(lib);
        Ok(Library { path, info, desc })
    }

    /// Copies a plugin-owned buffer and hands it back to the plugin.
    fn take(&self, buf: OutBuf) -> Vec<u8> {
        let bytes = if buf.ptr.is_null() {
            Vec::new()
        } else {
            // SAFETY: the plugin returned `len` readable bytes at `ptr`.
            unsafe { std::slice::from_raw_parts(buf.ptr, buf.len) }.to_vec()
        };
        // SAFETY: returning the plugin's own buffer, once.
        unsafe { (self.desc.free_buffer)(buf) };
        bytes
    }

    fn error_message(bytes: &[u8]) -> String {
        serde_json::from_slice::<ErrorPayload>(bytes)
            .map(|e| e.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
    }

    /// Creates an instance from a JSON config.
    pub fn instance(self, config: &serde_json::Value, limits: Limits) -> Result<DylibPlugin, LoadError> {
        let config = serde_json::to_vec(config).expect("JSON values serialize");
        let mut handle: *mut c_void = std::ptr::null_mut();
        let mut err = OutBuf::empty();
        // SAFETY: ABI call with valid pointers.
        let status = unsafe { (self.desc.create)(StrRef::from_slice(&config), &mut handle, &mut err) };
        let err = self.take(err);
        if status != STATUS_OK || handle.is_null() {
            return Err(LoadError::CreateFailed {
                plugin: self.info.name.clone(),
                message: Self::error_message(&err),
            });
        }
        Ok(DylibPlugin {
            lib: self,
            handle,
            limits,
        })
    }
}

/// An instance of a library plugin, called in-process.
pub struct DylibPlugin {
    lib: Library,
    handle: *mut c_void,
    limits: Limits,
}

// SAFETY: the handle is only used through `&mut self` (one call at a time).
unsafe impl Send for DylibPlugin {}

impl DylibPlugin {
    pub fn open(path: &Path, config: &serde_json::Value, limits: Limits) -> Result<DylibPlugin, LoadError> {
        Library::load(path)?.instance(config, limits)
    }
}

impl Drop for DylibPlugin {
    fn drop(&mut self) {
        // SAFETY: the handle came from this library's `create`.
        unsafe { (self.lib.desc.destroy)(self.handle) };
    }
}

impl Backend for DylibPlugin {
    fn info(&self) -> &PluginInfo {
        &self.lib.info
    }

    fn call(&mut self, id: &str, text: &str) -> Result<Vec<u8>, CallError> {
        let request = serde_json::to_vec(&Request {
            id: id.to_string(),
            text: text.to_string(),
        })
        .expect("requests serialize");
        let mut out = OutBuf::empty();
        // SAFETY: ABI call; `request` outlives the call.
        let status = unsafe { (self.lib.desc.extract)(self.handle, StrRef::from_slice(&request), &mut out) };
        let len = out.len;
        let bytes = self.lib.take(out);
        match status {
            STATUS_OK if len > self.limits.max_output_bytes => Err(CallError::new(
                ErrorKind::OutputTooLarge,
                format!(
                    "response of {len} bytes exceeds the cap of {} bytes",
                    self.limits.max_output_bytes
                ),
            )),
            STATUS_OK => Ok(bytes),
            STATUS_PANIC => Err(CallError::new(ErrorKind::Panic, Library::error_message(&bytes))),
            STATUS_ERROR => Err(CallError::new(ErrorKind::PluginError, Library::error_message(&bytes))),
            other => Err(CallError::new(
                ErrorKind::BadOutput,
                format!("unknown status code {other}: {}", Library::error_message(&bytes)),
            )),
        }
    }
}
