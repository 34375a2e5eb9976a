//! Waiting for a `Task`: its result, or its fault as the typed `AnyMethodFault`, with
//! progress reports, a timeout and cancellation.

use std::time::{Duration, Instant};

use vsphere::{AnyMethodFault, AnyValue, CallError, Task, TaskInfo, TaskInfoState};
use vsphere_runtime::{ManagedObject, Response};

/// How a task is reported while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Percent done, when the server says.
    pub percent: Option<i32>,
    /// The task's current description (`info.description.message`), when it has one.
    pub description: Option<String>,
}

/// A progress callback.
pub type ProgressFn<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;

/// Options of [`wait`]; `Default` waits as long as it takes and reports nothing.
#[derive(Default)]
pub struct WaitOptions<'a> {
    /// Called on every change of progress or description.
    pub progress: Option<ProgressFn<'a>>,
    /// Give up after this long: the task is cancelled (`CancelTask`) when it is
    /// cancelable and [`TaskError::Timeout`] returned.
    pub timeout: Option<Duration>,
}

/// A task that ended well: its final info, with its result.
#[derive(Debug)]
pub struct TaskOutcome {
    /// The task's last `info`.
    pub info: TaskInfo,
    /// The task's connection, whose decoding policy `result_as` applies.
    connection: vsphere::Connection,
}

impl TaskOutcome {
    /// The result (`info.result`), when the task has one.
    pub fn result(&self) -> Option<&AnyValue> {
        self.info.result.as_ref()
    }

    /// The result decoded as `R` (`One<ManagedObjectReference>` for the new VM of
    /// `CreateVM_Task`, …).
    pub fn result_as<R: Response>(&self) -> Result<R, TaskError> {
        let value = self.result().ok_or(TaskError::NoResult)?;
        self.connection
            .decode_value(value)
            .map_err(TaskError::Result)
    }
}

/// Why a task did not succeed, or could not be followed.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// The task failed with this fault (`info.error`).
    #[error("{}: {message}", fault_type_name(fault))]
    Fault {
        /// The fault, of its concrete type.
        fault: Box<AnyMethodFault>,
        /// The server's localized message.
        message: String,
    },
    /// It did not end in time; it was cancelled if it could be.
    #[error("the task did not end within {0:?}")]
    Timeout(Duration),
    /// Reading the task's info failed.
    #[error("reading the task: {0}")]
    Call(Box<CallError>),
    /// The server returned no `info` for the task.
    #[error("the task has no info")]
    NoInfo,
    /// The task succeeded without a result where one was asked for.
    #[error("the task has no result")]
    NoResult,
    /// The result did not decode as the type asked for.
    #[error("decoding the task's result: {0}")]
    Result(vsphere::Error),
}

impl From<CallError> for TaskError {
    fn from(e: CallError) -> Self {
        TaskError::Call(Box::new(e))
    }
}

/// The wire name of the fault `fault` holds (its concrete type, or the name of a subtype
/// this SDK does not know).
pub fn fault_type_name(fault: &AnyMethodFault) -> &str {
    use vsphere_runtime::Polymorphic;
    match fault.as_unknown() {
        Some((name, _)) => name,
        None => fault.object().info().wire,
    }
}

/// Polls `task` until it succeeds or fails (every 50 ms at first, backing off to 1 s).
///
/// ```no_run
/// # async fn run(vm: vsphere::VirtualMachine) -> Result<(), Box<dyn std::error::Error>> {
/// use vsphere_helpers::task::{wait, WaitOptions};
/// let task = vm.power_on_vm_task(None).await?;
/// let options = WaitOptions {
///     progress: Some(Box::new(|p| println!("{:?}%", p.percent))),
///     ..WaitOptions::default()
/// };
/// wait(&task, options).await?;
/// # Ok(()) }
/// ```
pub async fn wait(task: &Task, mut options: WaitOptions<'_>) -> Result<TaskOutcome, TaskError> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(50);
    let mut last: Option<Progress> = None;
    loop {
        let info = task.info().await?.ok_or(TaskError::NoInfo)?;
        let now = Progress {
            percent: info.progress,
            description: info.description.as_ref().and_then(|d| d.message.clone()),
        };
        if last.as_ref() != Some(&now) {
            if let Some(report) = options.progress.as_mut() {
                report(&now);
            }
            last = Some(now);
        }
        match info.state {
            TaskInfoState::Success => {
                return Ok(TaskOutcome {
                    info,
                    connection: task.connection().clone(),
                })
            }
            TaskInfoState::Error => return Err(failure(info)),
            _ => {}
        }
        if let Some(limit) = options.timeout {
            if started.elapsed() >= limit {
                if info.cancelable {
                    // The timeout is the error to report; a refused cancel changes nothing.
                    let _ = task.cancel_task().await;
                }
                return Err(TaskError::Timeout(limit));
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(1));
    }
}

/// The error of a failed task's info.
fn failure(info: TaskInfo) -> TaskError {
    match info.error {
        Some(e) => TaskError::Fault {
            message: e.localized_message.clone().unwrap_or_default(),
            fault: e.fault,
        },
        None => TaskError::Fault {
            fault: Box::default(),
            message: "the task failed without an error".to_string(),
        },
    }
}
