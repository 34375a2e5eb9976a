//! The helpers vSphere users reach for, hand-written over the generated `vsphere` crate:
//! [`connect()`] from a URL (with re-login), [`session::keepalive`], [`task::wait`],
//! [`property::retrieve`], [`view::View`], [`watch::Watch`] change streams, and the
//! [`find`] module's inventory paths and server lookups.
//!
//! ```no_run
//! use vsphere_helpers::{connect, find::Inventory, task, view::View, ConnectOptions};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let options = ConnectOptions { protocol: Some(vsphere::Protocol::Soap), ..Default::default() };
//! let client = connect("http://user:pass@127.0.0.1:8989/sdk", &options).await?;
//! // Every VM's name and power state through a view, in one RetrievePropertiesEx.
//! let root = client.service_content().root_folder.clone();
//! let view = View::create(&client, &root, &["VirtualMachine"], true).await?;
//! for vm in view.retrieve("VirtualMachine", &["name", "runtime.powerState"]).await? {
//!     let name: Option<String> = vm.get("name")?;
//!     let state: Option<vsphere::VirtualMachinePowerState> = vm.get("runtime.powerState")?;
//!     println!("{name:?} {state:?}");
//! }
//! // A VM by its inventory path, powered on, waiting for the task.
//! let inventory = Inventory::load(&client).await?;
//! let entry = inventory.named("VirtualMachine", "/DC0/vm/DC0_H0_VM0", None)?;
//! let vm = vsphere::VirtualMachine::new(client.connection().clone(), entry.reference.clone());
//! task::wait(&vm.power_on_vm_task(None).await?, Default::default()).await?;
//! # Ok(()) }
//! ```

pub mod connect;
pub mod find;
pub mod property;
pub mod session;
pub mod task;
pub mod view;
pub mod watch;

pub use connect::{connect, ConnectError, ConnectOptions, Target};
