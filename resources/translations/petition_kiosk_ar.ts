<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AttractPage</name>
    <message>
        <source>Sign</source>
        <translation>وقّع</translation>
    </message>
    <message>
        <source>Read the letter and sign</source>
        <translation>اقرأ الرسالة ووقّع</translation>
    </message>
    <message>
        <source>Read the letter, then add your name. It takes about a minute.</source>
        <translation>اقرأ الرسالة، ثم أضف اسمك. يستغرق ذلك دقيقة تقريبًا.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s)</source>
        <translation>
            <numerusform>%Ln توقيع</numerusform>
            <numerusform>توقيع واحد</numerusform>
            <numerusform>توقيعان</numerusform>
            <numerusform>%Ln توقيعات</numerusform>
            <numerusform>%Ln توقيعًا</numerusform>
            <numerusform>%Ln توقيع</numerusform>
        </translation>
    </message>
    <message>
        <source>Help us reach %1.</source>
        <translation>ساعدنا على بلوغ %1 توقيع.</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <source>First name</source>
        <translation>الاسم الأول</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>اسم العائلة</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>البريد الإلكتروني</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>الهاتف</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>الرمز البريدي</translation>
    </message>
    <message>
        <source>City</source>
        <translation>المدينة</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>البلد</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>تعليق</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>(اختياري)</translation>
    </message>
    <message>
        <source>If you have only one name, write it in either name field.</source>
        <translation>إن كان لديك اسم واحد فقط، فاكتبه في أيٍّ من حقلَي الاسم.</translation>
    </message>
</context>
<context>
    <name>IdleCountdown</name>
    <message>
        <source>Still there?</source>
        <translation>هل ما زلت هنا؟</translation>
    </message>
    <message>
        <source>Yes, I am still here</source>
        <translation>نعم، ما زلت هنا</translation>
    </message>
    <message numerus="yes">
        <source>To protect your privacy, this screen will be cleared in %Ln second(s).</source>
        <translation>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال ثانية واحدة.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال ثانيتين.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثوانٍ.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>حمايةً لخصوصيتك، ستُمحى هذه الشاشة خلال %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LetterPage</name>
    <message>
        <source>Petition letter</source>
        <translation>نص العريضة</translation>
    </message>
    <message>
        <source>Other petitions</source>
        <translation>عرائض أخرى</translation>
    </message>
    <message>
        <source>Sign the letter</source>
        <translation>وقّع الرسالة</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Petition Kiosk</source>
        <translation>كشك العرائض</translation>
    </message>
    <message>
        <source>Your signature could not be saved on this device. Nothing you typed is lost: please tell a volunteer, then try again.</source>
        <translation>تعذّر حفظ توقيعك على هذا الجهاز. لم يضِع شيء مما كتبته: يُرجى إبلاغ أحد المتطوعين، ثم المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>رمز PIN هذا غير صحيح.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد ثانية واحدة.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد ثانيتين.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثوانٍ.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
            <numerusform>محاولات خاطئة كثيرة. حاول مجددًا بعد %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message>
        <source>Choose a petition to sign</source>
        <translation>اختر عريضة لتوقيعها</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>رمز PIN الخاص بالمنسّق</translation>
    </message>
    <message>
        <source>Choose a coordinator PIN (%1 to %2 digits)</source>
        <translation>اختر رمز PIN للمنسّق (من %1 إلى %2 رقمًا)</translation>
    </message>
    <message>
        <source>Type the new PIN again</source>
        <translation>اكتب رمز PIN الجديد مرة أخرى</translation>
    </message>
    <message>
        <source>A PIN has %1 to %2 digits.</source>
        <translation>يتكوّن رمز PIN من %1 إلى %2 رقمًا.</translation>
    </message>
    <message>
        <source>The two PINs were not the same. Please start again.</source>
        <translation>الرمزان غير متطابقين. يُرجى البدء من جديد.</translation>
    </message>
</context>
<context>
    <name>SignPage</name>
    <message>
        <source>Back to the letter</source>
        <translation>العودة إلى الرسالة</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>وقّع</translation>
    </message>
    <message>
        <source>Sign the petition</source>
        <translation>وقّع العريضة</translation>
    </message>
    <message>
        <source>It takes less than a minute.</source>
        <translation>لن يستغرق ذلك أكثر من دقيقة.</translation>
    </message>
    <message>
        <source>Add your name: %1</source>
        <translation>أضف اسمك: %1</translation>
    </message>
    <message>
        <source>In English:</source>
        <translation>بالإنجليزية:</translation>
    </message>
    <message>
        <source>Your details stay on this device until they are sent to %1.</source>
        <translation>تبقى بياناتك على هذا الجهاز إلى أن تُرسَل إلى %1.</translation>
    </message>
    <message>
        <source>Choose a country</source>
        <translation>اختر البلد</translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message>
        <source>Thank you for signing!</source>
        <translation>شكرًا لتوقيعك!</translation>
    </message>
    <message>
        <source>Your signature has been saved on this device.</source>
        <translation>حُفظ توقيعك على هذا الجهاز.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
            <numerusform>توقيع واحد على هذا الجهاز</numerusform>
            <numerusform>توقيعان على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعات على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيعًا على هذا الجهاز</numerusform>
            <numerusform>%Ln توقيع على هذا الجهاز</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This screen closes in %Ln second(s).</source>
        <translation>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال ثانية واحدة.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال ثانيتين.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثوانٍ.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
            <numerusform>تُغلَق هذه الشاشة خلال %Ln ثانية.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>Please fill this in.</source>
        <translation>يُرجى ملء هذا الحقل.</translation>
    </message>
    <message>
        <source>This is too long. Please shorten it.</source>
        <translation>النص طويل جدًا. يُرجى اختصاره.</translation>
    </message>
    <message>
        <source>This contains invisible or special characters. Please type it again.</source>
        <translation>يحتوي هذا على رموز خفية أو خاصة. يُرجى كتابته من جديد.</translation>
    </message>
    <message>
        <source>This does not look like an email address.</source>
        <translation>لا يبدو هذا عنوان بريد إلكتروني.</translation>
    </message>
    <message>
        <source>This does not look like a phone number. Add the country code, for example +49.</source>
        <translation>لا يبدو هذا رقم هاتف. أضف رمز البلد، مثلًا ‎+963.</translation>
    </message>
    <message>
        <source>Please check the postal code.</source>
        <translation>يُرجى التحقق من الرمز البريدي.</translation>
    </message>
    <message>
        <source>Please choose a country from the list.</source>
        <translation>يُرجى اختيار بلد من القائمة.</translation>
    </message>
    <message>
        <source>Please tick this box to sign. Without it your signature cannot be counted.</source>
        <translation>يُرجى وضع علامة في هذا المربع للتوقيع. من دونها لا يمكن احتساب توقيعك.</translation>
    </message>
    <message>
        <source>This petition does not ask for this.</source>
        <translation>لا تطلب هذه العريضة هذه المعلومة.</translation>
    </message>
    <message>
        <source>Please check this.</source>
        <translation>يُرجى التحقق من هذا.</translation>
    </message>
</context>
</TS>